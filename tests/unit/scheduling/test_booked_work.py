"""The booked-work index answers what a scan of every booking would."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from techpm.scheduling.booked_work import BookedWork

spans = st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("ab"), spans, st.sampled_from([0.5, 1.0, 2.0])), max_size=12
    ),
    st.lists(spans, min_size=1, max_size=5),
)
def test_overlaps_equal_a_scan(bookings: list, questions: list) -> None:  # type: ignore[type-arg]
    points = [p for _, (s, f), _ in bookings for p in (s, f)] + [p for q in questions for p in q]
    index = BookedWork(["a", "b"], np.asarray(points, dtype=np.int64))
    for person, (s, f), units in bookings:
        index.book(person, s, f, units)
    for s, f in questions:
        scan = [
            sum(max(0, min(f, b) - max(s, a)) * u for who, (a, b), u in bookings if who == person)
            for person in "ab"
        ]
        assert np.allclose(index.between(["a", "b"], s, f), scan)
