"""Broken and hostile import files: every importer answers with a clear error (or a plan)
within seconds, never an internal error. The real sample files of each format, mutated:
cut short, bytes flipped, numbers made huge, dates moved out of range, nesting made deep."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpm.domain.errors import TechpmError
from techpm.services.exchange import import_file

from .test_hostile_plans import SECONDS, time_limit

SAMPLES_DIR = Path(__file__).resolve().parents[4] / "shared" / "samples"
SUFFIXES = (".xml", ".json", ".csv", ".gan", ".tjp", ".tji")
SAMPLES = sorted(
    p
    for p in SAMPLES_DIR.rglob("*")
    if p.is_file() and p.suffix.lower() in SUFFIXES and p.stat().st_size < 200_000
)
pytestmark = pytest.mark.skipif(not SAMPLES, reason=f"no sample files under {SAMPLES_DIR}")


def _numbers(data: bytes, big: bytes) -> bytes:
    return re.sub(rb"\d{2,}", big, data, count=5)


@st.composite
def broken(draw: st.DrawFn) -> tuple[str, bytes]:
    source = draw(st.sampled_from(SAMPLES))
    data = source.read_bytes()
    kind = draw(st.integers(0, 5))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if kind == 0:
        data = data[:at]
    elif kind == 1:
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    elif kind == 2:
        data = _numbers(data, draw(st.sampled_from([b"99999999999999999999999", b"-1", b"1e400"])))
    elif kind == 3:
        data = re.sub(rb"(19|20)\d\d-", draw(st.sampled_from([b"9999-", b"0000-", b"0001-"])), data)
    elif kind == 4:
        opener = draw(st.sampled_from([b"[", b"{", b"<a>", b'{"a":']))
        data = data[:at] + opener * draw(st.sampled_from([100, 5000])) + data[at:]
    else:
        data = (
            data[:at]
            + draw(st.sampled_from([b"}", b"{", b"]", b'"', b"</x>", b"\x00"]))
            + data[at:]
        )
    return source.suffix, data


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=broken())
def test_broken_import_files_are_an_error_or_a_plan(
    tmp_path: Path, case: tuple[str, bytes]
) -> None:
    suffix, data = case
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    message = None
    with time_limit(SECONDS):
        try:
            import_file(path)
        except TechpmError as error:  # anything else fails the test
            message = str(error)
    assert message is None or message.strip()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"issues": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        (
            "deeper.json",
            '{"issues": [{"key": "A-1", "fields": ' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "}]}",
        ),
    ],
)
def test_deeply_nested_json_is_refused(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(TechpmError, match="nested too deeply"):
        import_file(path)
