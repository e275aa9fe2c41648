"""The one way techpm writes a file: under a lock, to a unique temporary file synced to disk,
then renamed over the target, so that a crash or a full disk never leaves half a file and two
commands never lose each other's changes.

- `write_file(path, data)` replaces (or creates) a file in one step.
- `editing(path)` holds the lock over a read-modify-write: the file is read under the lock
  and written only if nobody else changed it meanwhile (an editor, a program that ignores
  the lock); otherwise `FileChangedError` and nothing is written.
- `writing_to(path)` gives a temporary path for writers that need a file name (exporters).

The target of a symlink is replaced (the link stays a link), and the file keeps its mode
and, where allowed, its owner. The lock is an advisory `flock` on a sidecar `.NAME.lock`
next to the file, removed again on release; leftovers of writers that were killed are
removed by the next writer of the same file, which holds the lock so none can be live.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from techpm.domain.errors import TechpmError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: writes stay atomic, only unlocked
    fcntl = None  # type: ignore[assignment]

LOCK_TIMEOUT_SECONDS = 60.0
_POLL_SECONDS = 0.05
_TEMP_TAG = ".techpm-"


class FileWriteError(TechpmError):
    """A file could not be written; the previous one is left as it was."""

    code = "file.write"


class FileLockedError(TechpmError):
    """Another techpm command kept the file locked for longer than we wait."""

    code = "file.locked"


class FileChangedError(TechpmError):
    """The file changed between being read and being written back."""

    code = "file.changed"


@dataclass(frozen=True)
class _Seen:
    """What a file was when it was read: its stat for a cheap check, its hash for a sure one."""

    exists: bool
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0
    digest: bytes = b""


def target_of(path: Path) -> Path:
    """The file a write lands in: the end of a chain of symlinks, else the path itself."""
    return Path(os.path.realpath(path))


class _Held(threading.local):
    def __init__(self) -> None:
        self.counts: dict[Path, int] = {}


_held = _Held()


@contextlib.contextmanager
def locked(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[Path]:
    """Hold the advisory lock of `path` (re-entrant in one thread); yields the real target."""
    target = target_of(path)
    if _held.counts.get(target):
        _held.counts[target] += 1
        try:
            yield target
        finally:
            _held.counts[target] -= 1
        return
    fd = _acquire(target, timeout)
    _held.counts[target] = 1
    try:
        _remove_leftovers(target)
        yield target
    finally:
        del _held.counts[target]
        _release(target, fd)


def _lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def _acquire(target: Path, timeout: float) -> int | None:
    if fcntl is None:  # pragma: no cover
        return None
    lock = _lock_path(target)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise _folder_error(target, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise FileLockedError(
                    f"{target} is being changed by another techpm command (lock {lock}); "
                    "nothing was written: run again when it has finished"
                ) from None
            time.sleep(_POLL_SECONDS)
            continue
        # the holder before us removes the lock file on release: ours must still be the one
        # at that name, or a third command could lock a new file while we hold the old one
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _release(target: Path, fd: int | None) -> None:
    if fd is None:  # pragma: no cover
        return
    with contextlib.suppress(OSError):
        os.unlink(_lock_path(target))
    os.close(fd)  # closing releases the flock


def _temp_pattern(target: Path) -> re.Pattern[str]:
    name = re.escape(target.name)
    # ours, and the fixed names earlier versions used (`.NAME.tmp`, `.NAME.partial`)
    return re.compile(rf"^\.{name}(?:{re.escape(_TEMP_TAG)}[a-z0-9_]{{8}}\.tmp|\.tmp|\.partial)$")


def _remove_leftovers(target: Path) -> None:
    """Temporary files of killed writers of this file (we hold the lock: none is live)."""
    pattern = _temp_pattern(target)
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if pattern.match(entry.name):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _seen(target: Path, data: bytes | None) -> _Seen:
    try:
        stat = os.stat(target)
    except FileNotFoundError:
        return _Seen(exists=False)
    digest = hashlib.sha256(data).digest() if data is not None else b""
    return _Seen(True, stat.st_size, stat.st_mtime_ns, stat.st_ino, digest)


def _unchanged(target: Path, seen: _Seen) -> bool:
    try:
        stat = os.stat(target)
    except FileNotFoundError:
        return not seen.exists
    if not seen.exists:
        return False
    if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (seen.size, seen.mtime_ns, seen.inode):
        return True
    try:
        return hashlib.sha256(target.read_bytes()).digest() == seen.digest
    except OSError:
        return False


class FileEdit:
    """A file read under its lock; `write` replaces it unless someone else changed it."""

    def __init__(self, path: Path, target: Path, original: bytes | None) -> None:
        self.path = path
        self.target = target
        self.original = original  # None: the file did not exist
        self._seen = _seen(target, original)
        self.written = False

    def write(self, data: bytes) -> None:
        if not _unchanged(self.target, self._seen):
            raise FileChangedError(
                f"{self.path} changed while techpm was updating it (another program wrote "
                "it); nothing was written: run the command again"
            )
        _replace(self.target, lambda temp: _write_all(temp, data))
        self.written = True


@contextlib.contextmanager
def editing(path: Path, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[FileEdit]:
    """Read `path` under its lock for a read-modify-write (see `FileEdit`)."""
    with locked(path, timeout=timeout) as target:
        try:
            original: bytes | None = target.read_bytes()
        except FileNotFoundError:
            original = None
        except OSError as exc:
            raise FileWriteError(f"cannot read {path}: {exc.strerror or exc}") from None
        yield FileEdit(path, target, original)


def write_file(path: Path, data: bytes | str) -> None:
    """Replace (or create) `path` with `data` (text as UTF-8) in one step, under its lock."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    if _special(path):  # /dev/stdout, a named pipe: nothing to replace, written as it is
        try:
            with open(path, "wb") as handle:
                handle.write(content)
        except OSError as exc:
            raise _write_error(path, exc) from None
        return
    with locked(path) as target:
        _replace(target, lambda temp: _write_all(temp, content))


def _special(path: Path) -> bool:
    """A file that exists and is not a regular file (a device, a pipe, a socket)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


@contextlib.contextmanager
def writing_to(path: Path) -> Iterator[Path]:
    """A temporary path next to `path` for a writer that takes a file name; when the block
    ends without error the file is synced and renamed over `path`, else removed."""
    with locked(path) as target:
        temp = _new_temp(target)
        try:
            yield temp
            _finish(target, temp)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if isinstance(exc, OSError):
                raise _write_error(target, exc) from None
            raise


def _write_all(temp: Path, data: bytes) -> None:
    with open(temp, "r+b") as handle:
        handle.write(data)


def _new_temp(target: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}{_TEMP_TAG}", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise _folder_error(target, exc) from None
    os.close(fd)
    return Path(name)


def _replace(target: Path, fill: Callable[[Path], None]) -> None:
    temp = _new_temp(target)
    try:
        fill(temp)
        _finish(target, temp)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from None
        raise


def _folder_error(target: Path, exc: OSError) -> FileWriteError:
    if not target.parent.is_dir():
        return FileWriteError(f"cannot write {target}: there is no folder {target.parent}")
    return FileWriteError(
        f"cannot write {target}: {exc.strerror or exc} (techpm writes a new file next to it "
        f"in {target.parent}, then renames it over the old one); nothing was written"
    )


def _write_error(target: Path, exc: OSError) -> FileWriteError:
    kept = "the file is left as it was" if target.exists() else "nothing was written"
    return FileWriteError(f"cannot write {target}: {exc.strerror or exc}; {kept}")


def _finish(target: Path, temp: Path) -> None:
    """Give the temporary file the target's mode and owner, sync it, and rename it over."""
    try:
        current: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        current = None
    fd = os.open(temp, os.O_RDWR)
    try:
        if current is not None:
            _chmod(fd, current.st_mode & 0o7777)
            if hasattr(os, "fchown") and (current.st_uid, current.st_gid) != (
                os.getuid(),
                os.getgid(),
            ):
                with contextlib.suppress(OSError):
                    os.fchown(fd, current.st_uid, current.st_gid)
        else:
            _chmod(fd, 0o666 & ~_umask())  # as a plain open() would have made it
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)
    _sync_dir(target.parent)


def _chmod(fd: int, mode: int) -> None:
    if hasattr(os, "fchmod"):  # not on every platform
        os.fchmod(fd, mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (not every file system allows it; then skip)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
