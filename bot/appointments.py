"""A customer's appointments as typed values for dialogs and notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import from_db, to_db
from bot.localized import from_json
from bot.storage import appointments as store
from bot.storage import audit
from bot.storage.db import Database, Row

Texts = dict[str, str]


@dataclass(frozen=True)
class Appointment:
    id: int
    customer_id: int
    ext_id: str
    starts_at: datetime
    topic: Texts
    location: Texts | None
    with_name: str | None
    bring: Texts | None
    status: str  # scheduled | cancelled
    sequence: int
    confirmed: bool
    cannot_come: bool

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def _appointment(row: Row) -> Appointment:
    return Appointment(
        id=row["id"],
        customer_id=row["customer_id"],
        ext_id=row["ext_id"],
        starts_at=from_db(row["starts_at"]),
        topic=from_json(row["topic"]) or {},
        location=from_json(row["location"]),
        with_name=row["with_name"],
        bring=from_json(row["bring"]),
        status=row["status"],
        sequence=row["sequence"],
        confirmed=row["confirmed_at"] is not None,
        cannot_come=row["cannot_come_at"] is not None,
    )


async def upcoming(
    db: Database, customer_id: int, now: datetime, limit: int = 20
) -> list[Appointment]:
    """Scheduled appointments that have not begun yet, soonest first."""
    rows = await store.upcoming_rows(db, customer_id, to_db(now), limit)
    return [_appointment(r) for r in rows]


async def next_appointment(db: Database, customer_id: int, now: datetime) -> Appointment | None:
    found = await upcoming(db, customer_id, now, limit=1)
    return found[0] if found else None


async def appointment_of(db: Database, customer_id: int, appointment_id: int) -> Appointment | None:
    row = await store.appointment_row(db, customer_id, appointment_id)
    return _appointment(row) if row else None


async def confirm(
    db: Database, customer_id: int, appointment_id: int, now: datetime
) -> Appointment | None:
    """ "I will be there": stored for the caseworker; None if not this customer's."""
    async with db.write() as conn:
        changed = await store.set_answer(conn, customer_id, appointment_id, to_db(now), True)
        if changed:
            await audit.record(
                conn,
                to_db(now),
                "customer",
                "appointment_confirmed",
                customer_id=customer_id,
                appointment=appointment_id,
            )
    return await appointment_of(db, customer_id, appointment_id)
