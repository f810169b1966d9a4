"""Early reports and conciliation requests ("flags"), and the caseworkers' answers."""

from __future__ import annotations

import aiosqlite

from bot.storage.db import Database, Row

_COLUMNS = """f.id, f.ref, f.customer_id, f.kind, f.subject, f.step_id, f.appointment_id,
              f.reason, f.message, f.proposal, f.locale, f.late, f.state, f.created_at,
              f.deadline_on, f.taken_by_id, f.taken_by_name, f.taken_at, f.closed_at,
              f.group_chat_id, f.group_message_id"""


async def insert_flag(
    conn: aiosqlite.Connection,
    *,
    ref: str,
    customer_id: int,
    kind: str,
    subject: str,
    step_id: int | None,
    appointment_id: int | None,
    reason: str | None,
    message: str | None,
    proposal: str | None,
    locale: str,
    late: bool,
    now: str,
    deadline_on: str | None,
) -> int | None:
    """Insert; None if the reference is taken (the caller draws another)."""
    cursor = await conn.execute(
        """INSERT INTO flags (ref, customer_id, kind, subject, step_id, appointment_id, reason,
                              message, proposal, locale, late, created_at, deadline_on)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (ref) DO NOTHING""",
        (
            ref,
            customer_id,
            kind,
            subject,
            step_id,
            appointment_id,
            reason,
            message,
            proposal,
            locale,
            int(late),
            now,
            deadline_on,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None


async def flag_row(db: Database, flag_id: int) -> Row | None:
    return await db.fetchone(f"SELECT {_COLUMNS} FROM flags f WHERE f.id = ?", (flag_id,))  # noqa: S608


async def flag_for_update(conn: aiosqlite.Connection, flag_id: int) -> Row | None:
    cursor = await conn.execute(f"SELECT {_COLUMNS} FROM flags f WHERE f.id = ?", (flag_id,))  # noqa: S608
    return await cursor.fetchone()


async def flag_by_post(db: Database, chat_id: int, message_id: int) -> Row | None:
    """The flag a group message belongs to (its post, a nudge, a confirmation ...)."""
    return await db.fetchone(
        f"""SELECT {_COLUMNS} FROM flag_messages m JOIN flags f ON f.id = m.flag_id
             WHERE m.chat_id = ? AND m.message_id = ?""",  # noqa: S608
        (chat_id, message_id),
    )


async def add_group_message(
    conn: aiosqlite.Connection, chat_id: int, message_id: int, flag_id: int
) -> None:
    await conn.execute(
        """INSERT INTO flag_messages (chat_id, message_id, flag_id) VALUES (?, ?, ?)
           ON CONFLICT DO NOTHING""",
        (chat_id, message_id, flag_id),
    )


async def open_conciliation(db: Database, customer_id: int) -> Row | None:
    return await db.fetchone(
        f"""SELECT {_COLUMNS} FROM flags f
             WHERE f.customer_id = ? AND f.kind = 'conciliation' AND f.state != 'closed'""",  # noqa: S608
        (customer_id,),
    )


async def customer_flags(db: Database, customer_id: int, limit: int) -> list[Row]:
    return await db.fetchall(
        f"""SELECT {_COLUMNS} FROM flags f WHERE f.customer_id = ?
             ORDER BY f.created_at DESC, f.id DESC LIMIT ?""",  # noqa: S608
        (customer_id, limit),
    )


async def answers_of(db: Database, flag_ids: list[int]) -> list[Row]:
    if not flag_ids:
        return []
    marks = ",".join("?" * len(flag_ids))
    return await db.fetchall(
        f"""SELECT id, flag_id, text, author_name, created_at, delivered_at FROM flag_answers
             WHERE flag_id IN ({marks}) ORDER BY created_at, id""",  # noqa: S608
        flag_ids,
    )


async def open_flags(db: Database, *, include_closed: bool, limit: int) -> list[Row]:
    where = "" if include_closed else "WHERE f.state != 'closed'"
    return await db.fetchall(
        f"""SELECT {_COLUMNS}, c.customer_number FROM flags f
              JOIN customers c ON c.id = f.customer_id
             {where} ORDER BY f.created_at, f.id LIMIT ?""",  # noqa: S608
        (limit,),
    )


async def set_post(conn: aiosqlite.Connection, flag_id: int, chat_id: int, message_id: int) -> None:
    await conn.execute(
        "UPDATE flags SET group_chat_id = ?, group_message_id = ? WHERE id = ?",
        (chat_id, message_id, flag_id),
    )


async def take(conn: aiosqlite.Connection, flag_id: int, user_id: int, name: str, now: str) -> bool:
    cursor = await conn.execute(
        """UPDATE flags SET state = 'taken', taken_by_id = ?, taken_by_name = ?, taken_at = ?
            WHERE id = ? AND state = 'received'""",
        (user_id, name, now, flag_id),
    )
    return cursor.rowcount > 0


async def close(conn: aiosqlite.Connection, flag_id: int, user_id: int, now: str) -> bool:
    cursor = await conn.execute(
        """UPDATE flags SET state = 'closed', closed_by_id = ?, closed_at = ?
            WHERE id = ? AND state != 'closed'""",
        (user_id, now, flag_id),
    )
    return cursor.rowcount > 0


async def add_answer(
    conn: aiosqlite.Connection, flag_id: int, text: str, user_id: int, name: str, now: str
) -> int:
    cursor = await conn.execute(
        """INSERT INTO flag_answers (flag_id, text, author_id, author_name, created_at)
           VALUES (?, ?, ?, ?, ?)""",
        (flag_id, text, user_id, name, now),
    )
    # An answer also takes an untaken flag: somebody clearly looked after it.
    await conn.execute(
        """UPDATE flags SET state = 'answered',
                            taken_by_id = coalesce(taken_by_id, ?),
                            taken_by_name = coalesce(taken_by_name, ?),
                            taken_at = coalesce(taken_at, ?)
            WHERE id = ? AND state != 'closed'""",
        (user_id, name, now, flag_id),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def answer_delivered(conn: aiosqlite.Connection, answer_id: int, now: str) -> None:
    await conn.execute("UPDATE flag_answers SET delivered_at = ? WHERE id = ?", (now, answer_id))


async def answer_row(db: Database, answer_id: int) -> Row | None:
    return await db.fetchone(
        "SELECT id, flag_id, text, author_name, created_at, delivered_at FROM flag_answers "
        "WHERE id = ?",
        (answer_id,),
    )


async def open_conciliation_in(conn: aiosqlite.Connection, customer_id: int) -> Row | None:
    """As `open_conciliation`, inside a write transaction (no race between check and insert)."""
    cursor = await conn.execute(
        f"""SELECT {_COLUMNS} FROM flags f
             WHERE f.customer_id = ? AND f.kind = 'conciliation' AND f.state != 'closed'""",  # noqa: S608
        (customer_id,),
    )
    return await cursor.fetchone()


async def appointment_start_of(
    conn: aiosqlite.Connection, customer_id: int, appointment_id: int
) -> str | None:
    """Start of the customer's own appointment (scheduled); None for anyone else's."""
    cursor = await conn.execute(
        """SELECT starts_at FROM appointments
            WHERE id = ? AND customer_id = ? AND status = 'scheduled'""",
        (appointment_id, customer_id),
    )
    row = await cursor.fetchone()
    return row[0] if row else None


async def step_is_current(conn: aiosqlite.Connection, customer_id: int, step_id: int) -> bool:
    cursor = await conn.execute(
        "SELECT 1 FROM plan_steps WHERE id = ? AND customer_id = ? AND removed_at IS NULL",
        (step_id, customer_id),
    )
    return await cursor.fetchone() is not None


async def post_states(db: Database, flag_ids: list[int]) -> dict[int, str]:
    """Per flag: whether its group post was sent, and the last error if it was not."""
    result: dict[int, str] = {}
    for start in range(0, len(flag_ids), 500):
        chunk = flag_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = await db.fetchall(
            f"""SELECT flag_id, state, last_error FROM outbox
                 WHERE kind = 'flag_post' AND flag_id IN ({marks})""",  # noqa: S608
            chunk,
        )
        for row in rows:
            error = (
                f" ({row['last_error']})" if row["last_error"] and row["state"] != "sent" else ""
            )
            result[row["flag_id"]] = row["state"] + error
    return result
