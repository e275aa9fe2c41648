"""The JSON kept in a row's structured columns gives back the very value stored: the same
type (a date stays a date, not a datetime; money stays a Decimal) and the same value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.domain.estimate import Distribution, ThreePoint
from techpm.domain.risk import Delay, Response, Strategy
from techpm.domain.task import Constraint, ConstraintType
from techpm.persistence.codec import CodecError, decode, encode

money = st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9)
moments = st.one_of(st.dates(), st.datetimes())
three_points = st.builds(
    ThreePoint,
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0, 100),
    st.sampled_from(Distribution),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), money, moments, three_points
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(tuple),
        st.frozensets(st.one_of(st.dates(), st.text(max_size=4)), max_size=3),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),  # keys may start with "$"
        st.builds(Delay, st.text(max_size=5), st.one_of(st.floats(0, 1e6), three_points)),
    ),
    max_leaves=8,
)


def _through_json(value: object) -> object:
    return decode(json.loads(json.dumps(encode(value))))


def _typed(value: object) -> object:
    """The value with each leaf's exact type, so 1 == True or date == datetime cannot pass."""
    if isinstance(value, tuple | list):
        return (type(value), [_typed(v) for v in value])
    if isinstance(value, frozenset):
        return (frozenset, sorted(map(repr, value)))
    if isinstance(value, dict):
        return (dict, [(_typed(k), _typed(v)) for k, v in value.items()])
    return (type(value), value)


@settings(max_examples=150, deadline=None)
@given(values)
def test_any_domain_value_comes_back_identical(value: object) -> None:
    back = _through_json(value)
    assert back == value
    assert _typed(back) == _typed(value)


def test_nested_domain_values_keep_their_classes() -> None:
    response = Response(
        strategy=Strategy.MITIGATE,
        actions=("pilot first",),
        cost=Decimal("1200.50"),
        residual_delays=(Delay("cutover", ThreePoint(480, 960, 2400)),),
        residual_cost=ThreePoint(100, 200, 400, Distribution.TRIANGULAR),
    )
    assert _through_json(response) == response
    gate = Constraint(ConstraintType.MUST_START_ON, datetime(2027, 3, 1, 13, 30), gate=True)
    assert _through_json(gate) == gate
    assert type(_through_json(date(2027, 3, 1))) is date


def test_a_value_the_codec_does_not_know_is_refused() -> None:
    @dataclass(frozen=True)
    class Unknown:
        x: int

    with pytest.raises(CodecError):
        encode(Unknown(1))
    with pytest.raises(CodecError):
        encode(object())
