"""TaskJuggler (.tjp) project files: the part they share with a techpm plan.

Tasks, nesting, links, efforts and durations, milestones, resources and their leaves are
read; reports, accounts, bookings, journals and the like are named in `skipped`.
"""

from __future__ import annotations

from techpm.interop.taskjuggler.reader import read_tjp

__all__ = ["read_tjp"]
