"""The PSPLIB reader against the files' own published figures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from techpm.interop.psplib import PsplibError, read_psplib, read_reference

PSPLIB = Path(__file__).resolve().parents[4] / "shared" / "benchmarks" / "psplib"
needs_psplib = pytest.mark.skipif(
    not PSPLIB.is_dir() and not os.environ.get("CI"),
    reason=f"PSPLIB instances not found at {PSPLIB}",
)


def reference(name: str) -> dict[str, dict[str, int]]:
    return read_reference(PSPLIB / name)


@needs_psplib
def test_first_instance_read_exactly() -> None:
    problem = read_psplib(PSPLIB / "j30" / "j301_1.sm")
    assert problem.size == 32
    assert problem.capacity == (12, 13, 4, 12)
    assert problem.duration[:4] == (0, 8, 4, 6)
    assert problem.demand[1] == ((0, 4),)
    assert problem.demand[3] == ((3, 3),)
    assert (0, 1, 0) in problem.links
    assert (1, 5, 8) in problem.links
    assert problem.critical_path_bound == 38


@needs_psplib
def test_every_j30_critical_path_matches_the_files_mpm_time() -> None:
    """PROVENANCE.md: cpm_lb equals each file's MPM-Time for all 480 instances."""
    expected = reference("j30_reference.tsv")
    assert len(expected) == 480
    for name, row in expected.items():
        problem = read_psplib(PSPLIB / "j30" / f"{name}.sm")
        assert problem.critical_path_bound == row["cpm_lb"], name


def test_malformed_file_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sm"
    bad.write_text(
        "jobs (incl. supersource/sink ):  2\n  - renewable                 :  1   R\n"
        "PRECEDENCE RELATIONS:\njobnr.    #modes  #successors   successors\n"
        "   1        1          2           2\n   2        1          0\n"
    )
    with pytest.raises(PsplibError, match=r"bad.sm:5: expected job 1 with 2 successors"):
        read_psplib(bad)
