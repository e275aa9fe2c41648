"""Read an MS Project .mpp file: MPXJ (Java, through JPype) converts it to MSPDI in a
temporary folder, and the MSPDI reader does the rest, so both paths give the same plan."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from techpm.interop.exchange import ImportFailed, ImportResult, fail
from techpm.interop.msproject.mspdi_reader import read_mspdi

INSTALL_HINT = "install it with `pip install 'techpm[mpxj]'` and install Java 11 or later"
_JVM_OPTIONS = ("-Djava.awt.headless=true", "-Dlog4j2.statusLoggerLevel=OFF")
_lock = threading.Lock()


def read_mpp(path: Path) -> ImportResult:
    if not path.is_file():
        raise fail(path, "", "no such file", code="import.not_found")
    reader, writer = _mpxj(path)
    with tempfile.TemporaryDirectory(prefix="techpm-mpp-") as folder:
        converted = Path(folder) / f"{path.stem}.xml"
        with _lock:
            try:
                project = reader().read(str(path))
            except Exception as exc:  # a Java exception: MPXJ's reason is the message
                raise fail(
                    path, "", f"MPXJ cannot read it: {_reason(exc)}", code="import.bad_mpp"
                ) from None
            if project is None:
                raise fail(
                    path, "", "MPXJ does not recognise it as a project file", code="import.bad_mpp"
                )
            try:
                converter = writer()
                converter.setWriteTimephasedData(True)
                converter.write(project, str(converted))
            except Exception as exc:
                raise fail(
                    path, "", f"MPXJ cannot convert it: {_reason(exc)}", code="import.bad_mpp"
                ) from None
        try:
            return read_mspdi(converted, format_name="mpp")
        except ImportFailed as exc:
            raise ImportFailed(
                f"{path.name} (as converted by MPXJ): {exc.message}", code=exc.code
            ) from None


def _mpxj(path: Path) -> tuple[Any, Any]:
    """MPXJ's reader and MSPDI writer classes, starting the Java VM on first use."""
    try:
        import jpype
        import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)
    except ImportError:
        raise fail(
            path,
            "",
            f"reading .mpp files needs MPXJ and Java; {INSTALL_HINT}",
            code="import.mpxj_unavailable",
        ) from None
    with _lock:
        if not jpype.isJVMStarted():
            try:
                jpype.startJVM(jpype.getDefaultJVMPath(), *_JVM_OPTIONS)
            except Exception as exc:  # JVMNotFoundException, a broken JAVA_HOME ...
                raise fail(
                    path,
                    "",
                    f"reading .mpp files needs Java, which was not found ({_reason(exc)}); "
                    f"{INSTALL_HINT}",
                    code="import.mpxj_unavailable",
                ) from None
        try:
            reader = jpype.JClass("org.mpxj.reader.UniversalProjectReader")
            writer = jpype.JClass("org.mpxj.mspdi.MSPDIWriter")
        except Exception as exc:  # too old a Java, or a VM started without MPXJ
            raise fail(
                path,
                "",
                f"MPXJ could not be loaded in Java ({_reason(exc)}); {INSTALL_HINT}",
                code="import.mpxj_unavailable",
            ) from None
    return reader, writer


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
