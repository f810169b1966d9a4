"""Queries behind reminder scheduling (see bot/reminders.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import aiosqlite

from bot.clock import from_db

_CHUNK = 500  # stay far below SQLite's limit on bound parameters


async def upcoming_appointments(
    conn: aiosqlite.Connection, customer_id: int, now: str
) -> list[tuple[int, str]]:
    cursor = await conn.execute(
        """SELECT id, starts_at FROM appointments
            WHERE customer_id = ? AND status = 'scheduled' AND starts_at > ?""",
        (customer_id, now),
    )
    return [(r[0], r[1]) for r in await cursor.fetchall()]


async def appointment_start(conn: aiosqlite.Connection, appointment_id: int) -> datetime | None:
    cursor = await conn.execute(
        "SELECT starts_at FROM appointments WHERE id = ? AND status = 'scheduled'",
        (appointment_id,),
    )
    row = await cursor.fetchone()
    return from_db(row[0]) if row else None


async def appointment_time(conn: aiosqlite.Connection, appointment_id: int) -> datetime | None:
    """When an appointment is (or was) to begin, whatever its status."""
    cursor = await conn.execute(
        "SELECT starts_at FROM appointments WHERE id = ?", (appointment_id,)
    )
    row = await cursor.fetchone()
    return from_db(row[0]) if row else None


async def steps_with_due_dates(
    conn: aiosqlite.Connection, customer_id: int
) -> list[tuple[int, str]]:
    cursor = await conn.execute(
        """SELECT id, due_on FROM plan_steps
            WHERE customer_id = ? AND removed_at IS NULL AND due_on IS NOT NULL""",
        (customer_id,),
    )
    return [(r[0], r[1]) for r in await cursor.fetchall()]


async def cancel_appointment_reminders(conn: aiosqlite.Connection, appointment_id: int) -> None:
    await conn.execute(
        """UPDATE outbox SET state = 'cancelled', last_error = 'appointment changed'
            WHERE appointment_id = ? AND kind = 'appointment_reminder' AND state = 'pending'""",
        (appointment_id,),
    )


async def cancel_stale_step_reminders(conn: aiosqlite.Connection, customer_id: int) -> None:
    """Pending step reminders whose step is gone or has another due date now."""
    await conn.execute(
        """UPDATE outbox SET state = 'cancelled', last_error = 'step changed'
            WHERE customer_id = ? AND kind = 'step_reminder' AND state = 'pending'
              AND NOT EXISTS (
                  SELECT 1 FROM plan_steps s
                   WHERE s.id = outbox.step_id AND s.removed_at IS NULL
                     AND s.due_on = json_extract(outbox.payload, '$.due_on'))""",
        (customer_id,),
    )


async def linked_among(conn: aiosqlite.Connection, customer_ids: Iterable[int]) -> set[int]:
    ids = sorted(set(customer_ids))
    linked: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        cursor = await conn.execute(
            f"SELECT customer_id FROM customer_links WHERE customer_id IN ({marks})",  # noqa: S608
            chunk,
        )
        linked.update(r[0] for r in await cursor.fetchall())
    return linked
