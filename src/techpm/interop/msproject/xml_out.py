"""Small helpers for writing MSPDI elements in the schema's order (the MSPDI schema is a
sequence: MS Project refuses elements out of order)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement

MSPDI_NS = "http://schemas.microsoft.com/project"


def add(parent: Element, tag: str, value: object = None) -> Element:
    element = SubElement(parent, tag)
    if value is not None:
        element.text = text(value)
    return element


def text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%dT00:00:00")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def clock(minute: int) -> str:
    """A time of day; the end of the day is written as midnight, as MS Project does."""
    minute %= 24 * 60
    return f"{minute // 60:02d}:{minute % 60:02d}:00"
