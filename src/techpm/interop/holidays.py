"""Public holidays from the `holidays` package, for the scheduling timeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache

import holidays as holidays_lib

from techpm.domain.calendar import HolidayRule


@lru_cache(maxsize=512)
def _year(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    found = holidays_lib.country_holidays(country, subdiv=subdivision, years=year)
    return {day: str(name) for day, name in found.items()}


def public_holidays(rule: HolidayRule, year: int) -> Mapping[date, str]:
    return _year(rule.country, rule.subdivision, year)


def unknown_holiday_rule(rule: HolidayRule) -> str | None:
    """Why the package cannot give holidays for this rule, or None when it can."""
    try:
        holidays_lib.country_holidays(rule.country, subdiv=rule.subdivision, years=2000)
    except NotImplementedError:
        return f"no public holidays are known for country {rule.country!r}"
    except Exception as exc:  # the package raises several types for a bad subdivision
        return f"holidays for {rule.country!r} region {rule.subdivision!r}: {exc}"
    return None
