"""Things to buy: equipment, licences, cloud capacity and services, and when they arrive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum


class ItemStatus(StrEnum):
    PLANNED = "planned"
    ORDERED = "ordered"
    RECEIVED = "received"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Item:
    id: str
    name: str
    kind: str = "equipment"  # equipment, license, cloud, service ...
    vendor: str | None = None
    quantity: float = 1
    unit_cost: Decimal = Decimal(0)
    lead_time_days: int = 0  # calendar days from order to delivery
    order_date: date | None = None
    needed_by: date | None = None
    received: date | None = None
    status: ItemStatus = ItemStatus.PLANNED

    @property
    def cost(self) -> Decimal:
        return (self.unit_cost * Decimal(str(self.quantity))).quantize(Decimal("0.01"))

    def available_on(self, earliest_order: date) -> date:
        """When the item can be used: received, or ordered plus its lead time, or (not yet
        ordered) ordered on `earliest_order` plus its lead time."""
        if self.received is not None:
            return self.received
        ordered = self.order_date or earliest_order
        return ordered + timedelta(days=self.lead_time_days)
