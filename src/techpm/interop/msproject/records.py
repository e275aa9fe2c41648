"""One MSPDI record (a Task, Resource, Assignment ...) read in a single pass over its
children, with typed access that names the record and the element when a value is bad."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from techpm.interop.exchange import fail
from techpm.interop.msproject.durations import iso_minutes
from techpm.interop.msproject.xml_source import Source

_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false"})


class Record:
    """Leaf children by local name (`fields`), and children with children of their own
    (PredecessorLink, Baseline, WeekDays ...) as lists (`nested`)."""

    __slots__ = ("element", "fields", "label", "nested", "source")

    def __init__(self, element: Element, source: Source, label: str) -> None:
        self.element = element
        self.source = source
        self.label = label
        fields: dict[str, str] = {}
        nested: dict[str, list[Element]] = {}
        for child in element:
            tag = child.tag
            name = tag[tag.find("}") + 1 :]
            if len(child):
                nested.setdefault(name, []).append(child)
            else:
                fields[name] = child.text or ""
        self.fields = fields
        self.nested = nested

    def sub(self, element: Element, label: str) -> Record:
        """A record inside this one (a link, a baseline), located at this record."""
        return Record(element, self.source, f"{self.label}, {label}")

    def bad(self, name: str, value: str, expected: str) -> Exception:
        where = self.source.where(self.element, self.label)
        return fail(
            self.source.path,
            where,
            f"<{name}> is {value!r}, not {expected}",
            code="import.bad_value",
        )

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        if value is None:
            return None
        value = value.strip()
        return value or None

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            try:
                number = Decimal(value)
            except InvalidOperation:
                raise self.bad(name, value, "a whole number") from None
            if number != number.to_integral_value():
                raise self.bad(name, value, "a whole number") from None
            return int(number)

    def number(self, name: str) -> Decimal | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.bad(name, value, "a number") from None
        if not number.is_finite():
            raise self.bad(name, value, "a number")
        return number

    def flag(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise self.bad(name, value, "0 or 1")

    def moment(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value.removesuffix("Z"))
        except ValueError:
            raise self.bad(name, value, "a date and time such as 2027-01-04T08:00:00") from None
        return moment.replace(tzinfo=None, microsecond=0)

    def minutes(self, name: str) -> float | None:
        """An ISO 8601 duration (PT8H0M0S) in minutes."""
        value = self.text(name)
        if value is None:
            return None
        minutes = iso_minutes(value)
        if minutes is None:
            raise self.bad(name, value, "a duration such as PT8H0M0S")
        return minutes
