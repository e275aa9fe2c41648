"""Scales people write in words: `interest: high`, `probability: 30%`, `impact: massive`.

Levels (a stakeholder's interest and influence) are scored 1 to 5, and the words are the
five-point scale's: very low 1, low 2, medium (or moderate) 3, high 4, very high 5; 3 and
above count as high on the power/interest grid, as the default 3 does. A probability is a
share (0.3), a percentage (`30%`), or a word for the middle of the risk matrix's bands:
very low 0.05, low 0.2, medium 0.4, high 0.6, very high 0.85. RICE keeps its own words:
impact minimal 0.25, low 0.5, medium 1, high 2, massive 3; confidence low 50 %, medium 80 %,
high 100 %.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

LEVELS = {"very low": 1, "low": 2, "medium": 3, "moderate": 3, "high": 4, "very high": 5}
PROBABILITIES = {"very low": 0.05, "low": 0.2, "medium": 0.4, "moderate": 0.4, "high": 0.6}
PROBABILITIES |= {"very high": 0.85}
RICE_IMPACT = {"minimal": 0.25, "low": 0.5, "medium": 1.0, "high": 2.0, "massive": 3.0}
RICE_CONFIDENCE = {"low": 0.5, "medium": 0.8, "high": 1.0}


def _words(text: str) -> str:
    """`Very_High`, `very-high` and `very  high` all read as `very high`."""
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def _reader(words: Mapping[str, float], percent: bool) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        key = _words(value)
        if key in words:
            return words[key]
        if percent and key.endswith("%"):
            try:
                return float(key[:-1].strip()) / 100
            except ValueError:
                pass
        try:
            return float(key) if "." in key else int(key)
        except ValueError:
            pass
        spelled = ", ".join(words)
        raise ValueError(
            f"{value!r} is not on the scale: a number{' or a percentage' if percent else ''}, "
            f"or one of {spelled}"
        )

    return read


def _schema(words: Mapping[str, float], number: dict[str, Any], text: str) -> WithJsonSchema:
    return WithJsonSchema(
        {"anyOf": [number, {"enum": list(words)}], "description": text}, mode="validation"
    )


read_rice_impact = _reader(RICE_IMPACT, percent=False)
read_rice_confidence = _reader(RICE_CONFIDENCE, percent=True)

Level = Annotated[
    int,
    BeforeValidator(_reader(LEVELS, percent=False)),
    Field(ge=1, le=5),
    _schema(
        LEVELS,
        {"type": "integer", "minimum": 1, "maximum": 5},
        "1 to 5, or very low, low, medium, high, very high (1 to 5).",
    ),
]
Probability = Annotated[
    float,
    BeforeValidator(_reader(PROBABILITIES, percent=True)),
    Field(ge=0, le=1),
    _schema(
        PROBABILITIES,
        {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string"}]},
        "0 to 1, a percentage such as 30%, or very low (0.05), low (0.2), medium (0.4), "
        "high (0.6), very high (0.85).",
    ),
]
RiceImpact = Annotated[
    float,
    BeforeValidator(read_rice_impact),
    Field(ge=0),
    _schema(
        RICE_IMPACT,
        {"type": "number", "minimum": 0},
        "0.25 minimal, 0.5 low, 1 medium, 2 high, 3 massive (a number or the word).",
    ),
]
RiceConfidence = Annotated[
    float,
    BeforeValidator(read_rice_confidence),
    Field(ge=0, le=1),
    _schema(
        RICE_CONFIDENCE,
        {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string"}]},
        "0 to 1, a percentage such as 80%, or low (50%), medium (80%), high (100%).",
    ),
]
