"""The one way techpm writes files: a read-modify-write refused when someone else wrote the
file meanwhile, a lock that makes a second writer wait (or give up, saying why), leftovers
of killed writers removed, and the modes a new or replaced file gets."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from techpm.interop.safe_write import (
    FileChangedError,
    FileLockedError,
    editing,
    locked,
    write_file,
)


def test_a_file_changed_between_read_and_write_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("mine\n")
    with editing(path) as edit:
        assert edit.original == b"mine\n"
        path.write_text("an editor saved this\n")  # a program that ignores the lock
        with pytest.raises(FileChangedError, match="changed while techpm was updating it"):
            edit.write(b"techpm's change\n")
    assert path.read_text() == "an editor saved this\n"


def test_an_unchanged_file_is_replaced_in_place_of_the_same_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("old\n")
    with editing(path) as edit:
        edit.write(b"new\n")
    assert path.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]  # lock removed too


def test_a_second_writer_waits_for_the_lock_then_gives_up_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("x\n")
    errors: list[Exception] = []

    def other_command() -> None:
        try:
            with locked(path, timeout=0.2):
                pass
        except FileLockedError as exc:
            errors.append(exc)

    with locked(path):
        thread = threading.Thread(target=other_command)
        thread.start()
        thread.join()
    assert len(errors) == 1
    assert "being changed by another techpm command" in str(errors[0])
    with locked(path, timeout=0.2):  # free again once released
        pass


def test_leftovers_of_killed_writers_are_removed_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("x\n")
    leftovers = [".plan.yaml.techpm-ab12cd_9.tmp", ".plan.yaml.tmp", ".plan.yaml.partial"]
    kept = [".plan.yaml.bak.techpm-ab12cd_9.tmp", "notes.txt", ".other.yaml.tmp"]
    for name in leftovers + kept:
        (tmp_path / name).write_text("?")
    write_file(path, "y\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "plan.yaml"])


def test_a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    mask = os.umask(0o022)
    try:
        fresh = tmp_path / "out.json"
        write_file(fresh, "{}\n")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not the 0600 of a temp file
        private = tmp_path / "private.json"
        private.write_text("{}\n")
        private.chmod(0o640)
        write_file(private, "[]\n")
        assert stat.S_IMODE(private.stat().st_mode) == 0o640
    finally:
        os.umask(mask)


def test_a_write_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_file(link, "new\n")
    assert link.is_symlink()
    assert target.read_text() == "new\n"
