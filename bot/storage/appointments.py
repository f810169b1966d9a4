"""Reading appointments: a customer's upcoming ones, one by id (checked against its owner)."""

from __future__ import annotations

import aiosqlite

from bot.storage.db import Database, Row

_COLUMNS = """id, customer_id, ext_id, starts_at, topic, location, with_name, bring, status,
              sequence, confirmed_at, cannot_come_at"""


async def upcoming_rows(db: Database, customer_id: int, now: str, limit: int) -> list[Row]:
    return await db.fetchall(
        f"""SELECT {_COLUMNS} FROM appointments
             WHERE customer_id = ? AND starts_at > ? AND status = 'scheduled'
             ORDER BY starts_at LIMIT ?""",  # noqa: S608 - constant column list
        (customer_id, now, limit),
    )


async def appointment_row(db: Database, customer_id: int, appointment_id: int) -> Row | None:
    """The appointment only if it belongs to this customer (ids come from buttons)."""
    return await db.fetchone(
        f"SELECT {_COLUMNS} FROM appointments WHERE id = ? AND customer_id = ?",  # noqa: S608
        (appointment_id, customer_id),
    )


async def set_answer(
    conn: aiosqlite.Connection, customer_id: int, appointment_id: int, now: str, coming: bool
) -> bool:
    """Record "I will be there" (coming) or "I cannot come"; the other answer is cleared."""
    cursor = await conn.execute(
        """UPDATE appointments
              SET confirmed_at = CASE WHEN ?3 THEN ?4 END,
                  cannot_come_at = CASE WHEN ?3 THEN NULL ELSE ?4 END
            WHERE id = ?1 AND customer_id = ?2 AND status = 'scheduled'""",
        (appointment_id, customer_id, int(coming), now),
    )
    return cursor.rowcount > 0
