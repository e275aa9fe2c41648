"""Links between tasks: the four precedence kinds with a lag (positive) or lead (negative)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DependencyType(StrEnum):
    FS = "FS"  # successor starts after the predecessor finishes
    SS = "SS"  # successor starts after the predecessor starts
    FF = "FF"  # successor finishes after the predecessor finishes
    SF = "SF"  # successor finishes after the predecessor starts

    @property
    def from_finish(self) -> bool:
        return self in (DependencyType.FS, DependencyType.FF)

    @property
    def to_finish(self) -> bool:
        return self in (DependencyType.FF, DependencyType.SF)


@dataclass(frozen=True)
class Dependency:
    """`successor` depends on `predecessor`; the lag is working time on the successor's calendar."""

    predecessor: str
    successor: str
    type: DependencyType = DependencyType.FS
    lag_minutes: int = 0
