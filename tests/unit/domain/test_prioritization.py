"""Idea scores and ranks: hand-computed figures, Intercom's published RICE example, and
properties every ranking keeps."""

from __future__ import annotations

import itertools
import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.idea import Idea, Moscow, Rice, Wsjf
from techpm.domain.prioritization import (
    Method,
    Quadrant,
    cost_of_delay,
    quadrant,
    rank,
    rice_score,
    unscored,
    wsjf_score,
)


def _idea(id_: str, votes: int = 0, **fields: object) -> Idea:
    return Idea(id=id_, title=id_.title(), votes=votes, **fields)  # type: ignore[arg-type]


def test_rice_is_reach_times_impact_times_confidence_over_effort() -> None:
    # 4000 x 1 x 0.8 / 2 = 3200 / 2 = 1600
    assert rice_score(Rice(reach=4000, impact=1, confidence=0.8, effort=2)) == pytest.approx(1600)


def test_wsjf_is_cost_of_delay_over_job_size() -> None:
    wsjf = Wsjf(business_value=5, time_criticality=2, risk_reduction=1, job_size=3)
    # cost of delay 5 + 2 + 1 = 8; 8 / 3 = 2.667
    assert cost_of_delay(wsjf) == 8
    assert wsjf_score(wsjf) == pytest.approx(2.667, abs=5e-4)


def test_intercom_published_example() -> None:
    """Sean McBride, "RICE: Simple prioritization for product managers", Intercom blog
    (https://www.intercom.com/blog/rice-simple-prioritization-for-product-managers/). The
    article rates three projects; the scores follow from its formula:
    project 1: reach 500 a month x 30 % x 3 months = 450, impact 3, confidence 100 %,
      effort 2 person-months: 450 x 3 x 1.0 / 2 = 675
    project 2: reach 2000, impact 1, confidence 80 %, effort 4: 2000 x 1 x 0.8 / 4 = 400
    project 3: reach 800, impact 2, confidence 50 %, effort 1: 800 x 2 x 0.5 / 1 = 800
    """
    ideas = [
        _idea("project-1", rice=Rice(reach=500 * 0.3 * 3, impact=3, confidence=1.0, effort=2)),
        _idea("project-2", rice=Rice(reach=2000, impact=1, confidence=0.8, effort=4)),
        _idea("project-3", rice=Rice(reach=800, impact=2, confidence=0.5, effort=1)),
    ]
    ranked = rank(ideas, Method.RICE)
    assert [(r.idea.id, r.rank) for r in ranked] == [
        ("project-3", 1),
        ("project-1", 2),
        ("project-2", 3),
    ]
    assert [r.score for r in ranked] == pytest.approx([800, 675, 400])
    assert ranked[1].inputs == {"reach": 450, "impact": 3, "confidence": 1.0, "effort": 2}


def test_equal_scores_share_a_rank_and_votes_then_id_order_them() -> None:
    same = Rice(reach=100, impact=1, confidence=1, effort=1)  # 100 each
    ideas = [
        _idea("b", votes=2, rice=same),
        _idea("a", votes=2, rice=same),
        _idea("c", votes=9, rice=same),
        _idea("d", votes=50, rice=Rice(reach=10, impact=1, confidence=1, effort=1)),  # 10
    ]
    ranked = rank(ideas, "rice")
    # three tie at 100 (rank 1): c has most votes, then a before b by id; d comes 4th
    assert [(r.idea.id, r.rank) for r in ranked] == [("c", 1), ("a", 1), ("b", 1), ("d", 4)]


def test_floating_point_noise_does_not_break_a_tie() -> None:
    # 0.1 x 3 is 0.30000000000000004 in binary floating point; it ties with 0.3
    ideas = [
        _idea("x", votes=1, rice=Rice(reach=0.1, impact=3, confidence=1, effort=1)),
        _idea("y", votes=5, rice=Rice(reach=0.3, impact=1, confidence=1, effort=1)),
    ]
    assert [(r.idea.id, r.rank) for r in rank(ideas, Method.RICE)] == [("y", 1), ("x", 1)]


def test_moscow_orders_must_should_could_wont() -> None:
    ideas = [
        _idea("w", moscow=Moscow.WONT),
        _idea("c", moscow=Moscow.COULD),
        _idea("m1", votes=1, moscow=Moscow.MUST),
        _idea("s", moscow=Moscow.SHOULD),
        _idea("m2", votes=4, moscow=Moscow.MUST),
        _idea("none"),
    ]
    ranked = rank(ideas, Method.MOSCOW)
    assert [(r.idea.id, r.rank, r.score) for r in ranked] == [
        ("m2", 1, 3),
        ("m1", 1, 3),
        ("s", 3, 2),
        ("c", 4, 1),
        ("w", 5, 0),
    ]
    assert [(u.idea.id, u.reason) for u in unscored(ideas, Method.MOSCOW)] == [
        ("none", "no moscow category (must, should, could, wont)")
    ]


def test_value_effort_quadrants_split_at_the_medians() -> None:
    ideas = [
        _idea("quick", value=8, effort=2),  # 8 / 2 = 4
        _idea("bet", value=8, effort=8),  # 8 / 8 = 1
        _idea("fill", votes=3, value=2, effort=2),  # 2 / 2 = 1
        _idea("pit", value=2, effort=8),  # 2 / 8 = 0.25
    ]
    # median value (2, 2, 8, 8) = 5 and median effort (2, 2, 8, 8) = 5
    ranked = rank(ideas, Method.VALUE_EFFORT)
    assert [(r.idea.id, r.rank, r.score, r.quadrant) for r in ranked] == [
        ("quick", 1, 4, Quadrant.QUICK_WIN),
        ("fill", 2, 1, Quadrant.FILL_IN),  # ties with bet, more votes
        ("bet", 2, 1, Quadrant.BIG_BET),
        ("pit", 4, 0.25, Quadrant.MONEY_PIT),
    ]
    assert [q.label for q in Quadrant] == ["quick win", "big bet", "fill-in", "money pit"]


def test_an_idea_at_the_median_gets_the_favourable_side() -> None:
    # efforts 3, 3, 5: median 3, so both ideas of effort 3 are low effort
    ideas = [
        _idea("a", value=9, effort=3),
        _idea("b", value=5, effort=3),
        _idea("c", value=8, effort=5),
    ]
    # values 5, 8, 9: median 8 -> a high, b low, c (at the median) high
    quadrants = {r.idea.id: r.quadrant for r in rank(ideas, Method.VALUE_EFFORT)}
    assert quadrants == {"a": Quadrant.QUICK_WIN, "b": Quadrant.FILL_IN, "c": Quadrant.BIG_BET}
    assert rank([_idea("alone", value=1, effort=9)], "value_effort")[0].quadrant == (
        Quadrant.QUICK_WIN
    )


def test_ideas_without_the_inputs_are_listed_with_the_reason() -> None:
    ideas = [
        _idea("no-effort", value=3),
        _idea("zero-size", wsjf=Wsjf(1, 1, 1, 0)),
        _idea("negative", rice=Rice(reach=-1, impact=1, confidence=1, effort=1)),
        _idea("infinite", rice=Rice(reach=math.inf, impact=1, confidence=1, effort=1)),
    ]
    assert rank(ideas, Method.VALUE_EFFORT) == []
    reasons = {u.idea.id: u.reason for u in unscored(ideas, Method.VALUE_EFFORT)}
    assert reasons["no-effort"] == "no effort (value vs effort needs both)"
    assert reasons["zero-size"] == "no value or effort (value vs effort needs both)"
    assert unscored(ideas, "wsjf")[1].reason == "wsjf job_size must be above zero"
    rice_reasons = [u.reason for u in unscored(ideas, Method.RICE)]
    assert rice_reasons[2:] == [
        "rice inputs must not be negative",
        "rice inputs must be finite numbers",
    ]


def test_wsjf_inputs_carry_the_cost_of_delay() -> None:
    ranked = rank([_idea("a", wsjf=Wsjf(5, 2, 1, 3))], Method.WSJF)
    assert ranked[0].inputs["cost_of_delay"] == 8
    assert ranked[0].quadrant is None


def test_quadrant_function() -> None:
    assert quadrant(6, 2, 5, 5) is Quadrant.QUICK_WIN
    assert quadrant(5, 5, 5, 5) is Quadrant.QUICK_WIN  # at both medians
    assert quadrant(4, 6, 5, 5) is Quadrant.MONEY_PIT


# properties -----------------------------------------------------------------------------

_number = st.floats(min_value=0, max_value=1e6, allow_nan=False)
_positive = st.floats(min_value=0.01, max_value=1e3, allow_nan=False)
_ideas = st.lists(
    st.builds(
        lambda n, votes, rice, wsjf, moscow, value, effort: Idea(
            id=f"i{n}",
            title="t",
            votes=votes,
            rice=rice,
            wsjf=wsjf,
            moscow=moscow,
            value=value,
            effort=effort,
        ),
        st.integers(0, 10**6),
        st.integers(0, 20),
        st.none()
        | st.builds(
            Rice, _number, st.sampled_from([0.25, 0.5, 1, 2, 3]), st.floats(0, 1), _positive
        ),
        st.none() | st.builds(Wsjf, _number, _number, _number, _positive),
        st.none() | st.sampled_from(list(Moscow)),
        st.none() | _number,
        st.none() | _positive,
    ),
    max_size=12,
    unique_by=lambda idea: idea.id,
)


@settings(max_examples=150, deadline=None)
@given(_ideas, st.sampled_from(list(Method)))
def test_every_idea_is_ranked_or_unscored_and_ranks_follow_the_scores(
    ideas: list[Idea], method: Method
) -> None:
    ranked = rank(ideas, method)
    left_out = unscored(ideas, method)
    assert len(ranked) + len(left_out) == len(ideas)
    assert {r.idea.id for r in ranked} | {u.idea.id for u in left_out} == {i.id for i in ideas}
    assert not {r.idea.id for r in ranked} & {u.idea.id for u in left_out}
    for position, (before, after) in enumerate(itertools.pairwise(ranked), start=2):
        assert after.score <= before.score * (1 + 1e-9) + 1e-12
        if after.rank == before.rank:
            assert math.isclose(after.score, before.score, rel_tol=1e-9, abs_tol=1e-12)
            assert (-after.idea.votes, after.idea.id) > (-before.idea.votes, before.idea.id)
        else:
            assert after.rank == position
    if ranked:
        assert ranked[0].rank == 1


@settings(max_examples=100, deadline=None)
@given(_ideas, st.sampled_from(list(Method)), st.randoms(use_true_random=False))
def test_the_ranking_does_not_depend_on_the_order_given(
    ideas: list[Idea], method: Method, rng: random.Random
) -> None:
    shuffled = list(ideas)
    rng.shuffle(shuffled)
    first = [(r.idea.id, r.rank, r.quadrant) for r in rank(ideas, method)]
    assert [(r.idea.id, r.rank, r.quadrant) for r in rank(shuffled, method)] == first


@settings(max_examples=100, deadline=None)
@given(_ideas)
def test_quadrants_agree_with_the_medians(ideas: list[Idea]) -> None:
    ranked = rank(ideas, Method.VALUE_EFFORT)
    if not ranked:
        return
    median_value = statistics.median(r.idea.value or 0 for r in ranked)
    median_effort = statistics.median(r.idea.effort or 0 for r in ranked)
    for r in ranked:
        assert r.idea.value is not None
        assert r.idea.effort is not None
        high_value = r.idea.value >= median_value
        low_effort = r.idea.effort <= median_effort
        expected = {
            (True, True): Quadrant.QUICK_WIN,
            (True, False): Quadrant.BIG_BET,
            (False, True): Quadrant.FILL_IN,
            (False, False): Quadrant.MONEY_PIT,
        }[(high_value, low_effort)]
        assert r.quadrant is expected


@given(
    st.builds(Rice, _number, st.floats(0, 3), st.floats(0, 1), _positive),
    st.floats(0, 1e3),
)
def test_more_reach_never_lowers_rice_and_more_effort_never_raises_it(
    rice: Rice, extra: float
) -> None:
    more_reach = Rice(rice.reach + extra, rice.impact, rice.confidence, rice.effort)
    more_effort = Rice(rice.reach, rice.impact, rice.confidence, rice.effort + extra)
    assert rice_score(more_reach) >= rice_score(rice)
    assert rice_score(more_effort) <= rice_score(rice)
