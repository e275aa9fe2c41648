"""GanttProject (.gan) files: read into a plan-file mapping, and write a schedule back out.

The reader parses the XML itself (through defusedxml, so entity bombs and external
entities are refused) rather than through MPXJ, which drops links between nested tasks.
"""

from __future__ import annotations

from techpm.interop.ganttproject.reader import read_gan
from techpm.interop.ganttproject.writer import write_gan

__all__ = ["read_gan", "write_gan"]
