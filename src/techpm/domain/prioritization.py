"""Rank ideas the way product teams argue about them (RICE, WSJF, MoSCoW, value over effort),
so that the order comes with its numbers and every idea left out says what it lacks."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from techpm.domain.idea import Idea, Moscow, Rice, Wsjf


class Method(StrEnum):
    RICE = "rice"  # reach x impact x confidence / effort (Intercom)
    WSJF = "wsjf"  # cost of delay / job size (SAFe)
    MOSCOW = "moscow"  # must > should > could > wont
    VALUE_EFFORT = "value_effort"  # value / effort, with a quadrant

    @property
    def label(self) -> str:
        return {"rice": "RICE", "wsjf": "WSJF", "moscow": "MoSCoW"}.get(self.value, "value/effort")


class Quadrant(StrEnum):
    """Where an idea sits on the value-vs-effort grid, split at the medians."""

    QUICK_WIN = "quick_win"  # high value, low effort
    BIG_BET = "big_bet"  # high value, high effort
    FILL_IN = "fill_in"  # low value, low effort
    MONEY_PIT = "money_pit"  # low value, high effort

    @property
    def label(self) -> str:
        return {"quick_win": "quick win", "big_bet": "big bet", "fill_in": "fill-in"}.get(
            self.value, "money pit"
        )


# MoSCoW categories as numbers, so that they sort and tie like the other scores
MOSCOW_SCORES: Mapping[Moscow, int] = {
    Moscow.MUST: 3,
    Moscow.SHOULD: 2,
    Moscow.COULD: 1,
    Moscow.WONT: 0,
}

Inputs = dict[str, float | str]


@dataclass(frozen=True)
class RankedIdea:
    idea: Idea
    method: Method
    score: float
    rank: int  # 1 is first; equal scores share a rank (1, 2, 2, 4)
    inputs: Inputs = field(default_factory=dict, compare=False, hash=False)
    quadrant: Quadrant | None = None  # value_effort only


@dataclass(frozen=True)
class Unscored:
    """An idea the method cannot rank, and what it is missing."""

    idea: Idea
    reason: str


def rice_score(rice: Rice) -> float:
    return rice.reach * rice.impact * rice.confidence / rice.effort


def cost_of_delay(wsjf: Wsjf) -> float:
    """SAFe: user-business value + time criticality + risk reduction/opportunity enablement."""
    return wsjf.business_value + wsjf.time_criticality + wsjf.risk_reduction


def wsjf_score(wsjf: Wsjf) -> float:
    return cost_of_delay(wsjf) / wsjf.job_size


def rank(ideas: Iterable[Idea], method: Method | str) -> list[RankedIdea]:
    """The ideas the method can score, best first: by score, then votes, then id (ties in
    score share a rank whatever their votes)."""
    method = Method(method)
    scored = [
        (idea, found) for idea in ideas if not isinstance(found := _assess(idea, method), str)
    ]
    scored.sort(key=lambda pair: (-_tie_key(pair[1][0]), -pair[0].votes, pair[0].id))
    medians = _medians([idea for idea, _ in scored]) if method is Method.VALUE_EFFORT else None
    ranked: list[RankedIdea] = []
    for position, (idea, (score, inputs)) in enumerate(scored, start=1):
        tied = ranked and _tie_key(ranked[-1].score) == _tie_key(score)
        place = ranked[-1].rank if tied else position
        ranked.append(RankedIdea(idea, method, score, place, inputs, _quadrant(idea, medians)))
    return ranked


def unscored(ideas: Iterable[Idea], method: Method | str) -> list[Unscored]:
    """The ideas the method cannot score, in their given order, each with the reason."""
    method = Method(method)
    return [
        Unscored(idea, found) for idea in ideas if isinstance(found := _assess(idea, method), str)
    ]


def quadrant(value: float, effort: float, median_value: float, median_effort: float) -> Quadrant:
    """Split at the medians of the ideas scored together; an idea at a median gets the
    favourable side (high value, low effort), so a lone idea is a quick win and the many
    ideas that share the cheapest effort are not called expensive."""
    high_value = value >= median_value
    high_effort = effort > median_effort
    if high_value:
        return Quadrant.BIG_BET if high_effort else Quadrant.QUICK_WIN
    return Quadrant.MONEY_PIT if high_effort else Quadrant.FILL_IN


def _assess(idea: Idea, method: Method) -> tuple[float, Inputs] | str:
    """The score and the inputs it came from, or why there is none."""
    if method is Method.RICE:
        if idea.rice is None:
            return "no rice scores (reach, impact, confidence, effort)"
        r = idea.rice
        numbers = {
            "reach": r.reach,
            "impact": r.impact,
            "confidence": r.confidence,
            "effort": r.effort,
        }
        problem = _check(numbers, "rice", "effort")
        return problem or (rice_score(r), dict(numbers))
    if method is Method.WSJF:
        if idea.wsjf is None:
            return "no wsjf scores (business_value, time_criticality, risk_reduction, job_size)"
        w = idea.wsjf
        numbers = {
            "business_value": w.business_value,
            "time_criticality": w.time_criticality,
            "risk_reduction": w.risk_reduction,
            "job_size": w.job_size,
        }
        problem = _check(numbers, "wsjf", "job_size")
        inputs: Inputs = {**numbers, "cost_of_delay": cost_of_delay(w)}
        return problem or (wsjf_score(w), inputs)
    if method is Method.MOSCOW:
        if idea.moscow is None:
            return "no moscow category (must, should, could, wont)"
        return float(MOSCOW_SCORES[idea.moscow]), {"moscow": idea.moscow.value}
    if idea.value is None or idea.effort is None:
        missing = [name for name in ("value", "effort") if getattr(idea, name) is None]
        return f"no {' or '.join(missing)} (value vs effort needs both)"
    numbers = {"value": idea.value, "effort": idea.effort}
    problem = _check(numbers, "value vs effort", "effort")
    return problem or (idea.value / idea.effort, dict(numbers))


def _check(numbers: Mapping[str, float], method: str, divisor: str) -> str | None:
    if not all(math.isfinite(v) for v in numbers.values()):
        return f"{method} inputs must be finite numbers"
    if any(v < 0 for v in numbers.values()):
        return f"{method} inputs must not be negative"
    if numbers[divisor] <= 0:
        return f"{method} {divisor} must be above zero"
    return None


def _tie_key(score: float) -> float:
    """Scores equal to 12 significant digits tie: 0.1 x 3 and 0.3 are the same score."""
    return float(f"{score:.12g}")


def _medians(ideas: list[Idea]) -> tuple[float, float] | None:
    if not ideas:
        return None
    values = [i.value for i in ideas if i.value is not None]
    efforts = [i.effort for i in ideas if i.effort is not None]
    return statistics.median(values), statistics.median(efforts)


def _quadrant(idea: Idea, medians: tuple[float, float] | None) -> Quadrant | None:
    if medians is None or idea.value is None or idea.effort is None:
        return None
    return quadrant(idea.value, idea.effort, *medians)
