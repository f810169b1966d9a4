"""Read-only queries for the operators' commands (`kobot reminders`, `kobot appointments`)."""

from __future__ import annotations

from bot.storage.db import Database, Row

_OUTBOX_ROW = """o.id, o.kind, o.state, o.due_at, o.next_attempt_at, o.sent_at, o.attempts,
                 o.last_error, c.customer_number, a.ext_id AS appointment,
                 json_extract(o.payload, '$.offset') AS offset_seconds"""
_OUTBOX_JOINS = """FROM outbox o
                   LEFT JOIN customers c ON c.id = o.customer_id
                   LEFT JOIN appointments a ON a.id = o.appointment_id"""


async def outbox_counts(db: Database) -> list[Row]:
    return await db.fetchall(
        "SELECT kind, state, count(*) AS n FROM outbox GROUP BY kind, state ORDER BY kind, state"
    )


async def pending_rows(db: Database, limit: int) -> list[Row]:
    return await db.fetchall(
        f"""SELECT {_OUTBOX_ROW} {_OUTBOX_JOINS}
             WHERE o.state = 'pending' ORDER BY o.next_attempt_at LIMIT ?""",
        (limit,),
    )


async def failed_rows(db: Database, limit: int) -> list[Row]:
    return await db.fetchall(
        f"""SELECT {_OUTBOX_ROW} {_OUTBOX_JOINS}
             WHERE o.state = 'failed' ORDER BY o.created_at DESC LIMIT ?""",
        (limit,),
    )


async def customer_appointments(db: Database, customer_number: str) -> list[Row] | None:
    customer = await db.fetchone(
        "SELECT id FROM customers WHERE customer_number = ?", (customer_number,)
    )
    if customer is None:
        return None
    return await db.fetchall(
        """SELECT id, ext_id, starts_at, status, topic, confirmed_at, cannot_come_at
             FROM appointments WHERE customer_id = ? ORDER BY starts_at""",
        (customer[0],),
    )


async def appointment_reminders(db: Database, appointment_id: int) -> list[Row]:
    return await db.fetchall(
        f"""SELECT {_OUTBOX_ROW} {_OUTBOX_JOINS}
             WHERE o.appointment_id = ? ORDER BY o.due_at""",
        (appointment_id,),
    )
