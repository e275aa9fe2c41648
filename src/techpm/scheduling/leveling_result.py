"""What a leveling engine returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LevelingResult:
    starts: tuple[int, ...]
    makespan: int
    lower_bound: int
    optimal: bool  # proven: the makespan equals a lower bound
    engine: str
    schedules: int  # schedules generated (heuristic) or solutions found (cpsat)
    seconds: float
