"""Tasks as a spreadsheet: one row per task, the hierarchy in a `parent` column.

Lists (dependencies, assignments, tags) sit in one cell separated by semicolons, so that
the file opens in any spreadsheet and reads back without loss. The export adds the
scheduled dates; the import reads them back as reference dates only, since techpm computes
its own.

`columns.py` names the columns, `writer.py` writes them, `reader.py` reads the file,
`rows.py` turns its rows into task mappings and `cells.py` reads each cell.
"""

from __future__ import annotations

from techpm.interop.csv_tasks.columns import ALIASES, COLUMNS, CONSTRAINT_NAMES
from techpm.interop.csv_tasks.reader import read_csv
from techpm.interop.csv_tasks.writer import write_csv

__all__ = ["ALIASES", "COLUMNS", "CONSTRAINT_NAMES", "read_csv", "write_csv"]
