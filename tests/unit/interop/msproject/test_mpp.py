"""Reading .mpp through MPXJ: the same plan as its MSPDI twin, and clear errors when MPXJ
or Java is missing or the file is not a project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from techpm.interop.exchange import ImportFailed
from techpm.interop.msproject.mpp import read_mpp
from techpm.interop.msproject.mspdi_reader import read_mspdi

from .helpers import SAMPLES, needs_samples, require_mpxj, walk


@needs_samples
def test_an_mpp_gives_the_plan_of_its_mspdi_twin() -> None:
    require_mpxj()
    from_mpp = read_mpp(SAMPLES / "mpp" / "mpp14relations.mpp")
    from_xml = read_mspdi(SAMPLES / "mspdi" / "mspdirelations.xml")
    assert from_mpp.format == "mpp"
    assert [t.get("after", []) for t in walk(from_mpp.document["tasks"])] == [
        t.get("after", []) for t in walk(from_xml.document["tasks"])
    ]
    assert from_mpp.reference_dates == from_xml.reference_dates


@needs_samples
def test_mpp_splits_and_baselines_are_read() -> None:
    require_mpxj()
    split = read_mpp(SAMPLES / "mpp" / "mpp14splittask.mpp")
    assert any("2 split tasks" in s for s in split.skipped)
    baseline = read_mpp(SAMPLES / "mpp" / "mpp14baseline.mpp")
    assert "msproject-0" in baseline.baselines
    assert baseline.baselines["msproject-0"]["tasks"]


def test_not_a_project_file(tmp_path: Path) -> None:
    require_mpxj()
    path = tmp_path / "noise.mpp"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really a compound file" * 20)
    with pytest.raises(ImportFailed) as caught:
        read_mpp(path)
    assert caught.value.code == "import.bad_mpp"
    assert caught.value.message.startswith("noise.mpp: MPXJ")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as caught:
        read_mpp(tmp_path / "gone.mpp")
    assert caught.value.code == "import.not_found"


def test_without_mpxj_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.mpp"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    monkeypatch.setitem(sys.modules, "mpxj", None)  # what `import mpxj` meets when absent
    with pytest.raises(ImportFailed) as caught:
        read_mpp(path)
    assert caught.value.code == "import.mpxj_unavailable"
    assert "pip install 'techpm[mpxj]'" in caught.value.message
    assert "Java 11" in caught.value.message


NO_JAVA = """
import json, sys
from pathlib import Path
import jpype

def no_java():
    raise jpype.JVMNotFoundException("No JVM shared library file (libjvm.so) found")

jpype.getDefaultJVMPath = no_java
from techpm.interop.exchange import ImportFailed
from techpm.interop.msproject.mpp import read_mpp
try:
    read_mpp(Path(sys.argv[1]))
except ImportFailed as exc:
    print(json.dumps([exc.code, exc.message]))
"""


def test_without_java_the_error_says_so(tmp_path: Path) -> None:
    """In a fresh process: a Java VM, once started, cannot be stopped in this one."""
    pytest.importorskip("jpype")
    path = tmp_path / "plan.mpp"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    done = subprocess.run(
        [sys.executable, "-c", NO_JAVA, str(path)], capture_output=True, text=True, timeout=60
    )
    code, message = json.loads(done.stdout)
    assert code == "import.mpxj_unavailable"
    assert "needs Java" in message
    assert "pip install 'techpm[mpxj]'" in message
