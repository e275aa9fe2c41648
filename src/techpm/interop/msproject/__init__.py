"""MS Project: MSPDI XML read and written directly (through defusedxml, so entity bombs and
external entities are refused), and .mpp read by converting it to MSPDI with MPXJ."""

from __future__ import annotations

from techpm.interop.msproject.mpp import read_mpp
from techpm.interop.msproject.mspdi_reader import read_mspdi
from techpm.interop.msproject.mspdi_writer import mspdi_bytes, write_mspdi

__all__ = ["mspdi_bytes", "read_mpp", "read_mspdi", "write_mspdi"]
