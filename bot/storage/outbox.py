"""The outbox table: what is to be pushed, claimed by the dispatcher, and what came of it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiosqlite

from bot.storage.db import Database, Row

_COLUMNS = """id, kind, audience, customer_id, appointment_id, step_id, flag_id, payload,
              due_at, expires_at, attempts, chat_id"""


@dataclass(frozen=True)
class OutboxItem:
    id: int
    kind: str
    audience: str
    customer_id: int | None
    appointment_id: int | None
    step_id: int | None
    flag_id: int | None
    payload: dict[str, Any]
    due_at: str
    expires_at: str | None
    attempts: int
    chat_id: int | None


def _item(row: Row) -> OutboxItem:
    return OutboxItem(
        id=row["id"],
        kind=row["kind"],
        audience=row["audience"],
        customer_id=row["customer_id"],
        appointment_id=row["appointment_id"],
        step_id=row["step_id"],
        flag_id=row["flag_id"],
        payload=json.loads(row["payload"]),
        due_at=row["due_at"],
        expires_at=row["expires_at"],
        attempts=row["attempts"],
        chat_id=row["chat_id"],
    )


async def enqueue(
    conn: aiosqlite.Connection,
    *,
    kind: str,
    audience: str,
    now: str,
    due_at: str | None = None,
    customer_id: int | None = None,
    appointment_id: int | None = None,
    step_id: int | None = None,
    flag_id: int | None = None,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    expires_at: str | None = None,
    revive: bool = False,
) -> int | None:
    """Add a row; with a dedupe key that exists already nothing is added (None).

    With `revive`, a row with the same key that was cancelled becomes pending again
    (an appointment moved away and back gets its reminder back; a sent one stays sent).
    """
    due = due_at or now
    conflict = (
        """DO UPDATE SET state = 'pending', due_at = excluded.due_at,
                         next_attempt_at = excluded.next_attempt_at, attempts = 0,
                         expires_at = excluded.expires_at, last_error = NULL
                   WHERE outbox.state = 'cancelled'"""
        if revive
        else "DO NOTHING"
    )
    cursor = await conn.execute(
        f"""INSERT INTO outbox (kind, audience, dedupe_key, customer_id, appointment_id, step_id,
                               flag_id, payload, due_at, expires_at, next_attempt_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (dedupe_key) {conflict}""",  # noqa: S608 - one of two constants
        (
            kind,
            audience,
            dedupe_key,
            customer_id,
            appointment_id,
            step_id,
            flag_id,
            json.dumps(payload or {}, sort_keys=True),
            due,
            expires_at,
            due,
            now,
        ),
    )
    return cursor.lastrowid if cursor.rowcount else None


async def skip_expired(conn: aiosqlite.Connection, now: str) -> int:
    cursor = await conn.execute(
        """UPDATE outbox SET state = 'skipped', last_error = 'expired'
            WHERE state = 'pending' AND expires_at IS NOT NULL AND expires_at <= ?""",
        (now,),
    )
    return cursor.rowcount


async def skip_superseded(conn: aiosqlite.Connection, now: str) -> int:
    """After downtime only the latest due reminder of an appointment goes out."""
    cursor = await conn.execute(
        """UPDATE outbox SET state = 'skipped', last_error = 'superseded by a later reminder'
            WHERE state = 'pending' AND kind = 'appointment_reminder' AND next_attempt_at <= ?1
              AND EXISTS (
                  SELECT 1 FROM outbox later
                   WHERE later.appointment_id = outbox.appointment_id
                     AND later.kind = 'appointment_reminder'
                     AND later.state IN ('pending', 'sending', 'sent')
                     AND later.due_at > outbox.due_at AND later.due_at <= ?1)""",
        (now,),
    )
    return cursor.rowcount


async def claim_due(
    conn: aiosqlite.Connection, now: str, limit: int, *, caseworkers: bool
) -> list[OutboxItem]:
    """Mark up to `limit` due rows as being sent and return them.

    Rows for customers who blocked the bot or are not linked (any more) wait: they go out
    when the customer writes again or links, unless they expired meanwhile. Posts for the
    caseworkers wait while no caseworker chat is configured.
    """
    cursor = await conn.execute(
        f"""UPDATE outbox SET state = 'sending', claimed_at = ?, attempts = attempts + 1
             WHERE id IN (
                   SELECT o.id FROM outbox o
                     LEFT JOIN customer_links l ON l.customer_id = o.customer_id
                     LEFT JOIN tg_users u ON u.user_id = l.user_id
                    WHERE o.state = 'pending' AND o.next_attempt_at <= ?
                      AND (o.audience = 'caseworkers' AND ?
                           OR o.audience = 'customer' AND u.user_id IS NOT NULL
                              AND u.blocked_at IS NULL)
                    ORDER BY o.next_attempt_at, o.id
                    LIMIT ?)
            RETURNING {_COLUMNS}""",  # noqa: S608 - a constant column list, no input
        (now, now, int(caseworkers), limit),
    )
    items = [_item(r) for r in await cursor.fetchall()]
    items.sort(key=lambda i: (i.due_at, i.id))
    return items


async def mark_sent(
    conn: aiosqlite.Connection, item_id: int, now: str, chat_id: int, message_id: int
) -> None:
    await conn.execute(
        """UPDATE outbox SET state = 'sent', sent_at = ?, chat_id = ?, message_id = ?,
                             last_error = NULL
            WHERE id = ?""",
        (now, chat_id, message_id, item_id),
    )


async def retry_later(conn: aiosqlite.Connection, item_id: int, when: str, error: str) -> None:
    await conn.execute(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
        (when, error, item_id),
    )


async def postpone(conn: aiosqlite.Connection, item_id: int, when: str) -> None:
    """Back to the queue without counting an attempt (pacing, not failure)."""
    await conn.execute(
        """UPDATE outbox SET state = 'pending', next_attempt_at = ?, attempts = attempts - 1
            WHERE id = ?""",
        (when, item_id),
    )


async def finish(conn: aiosqlite.Connection, item_id: int, state: str, error: str | None) -> None:
    """End a row without sending: 'failed' (operators see it), 'skipped' or 'cancelled'."""
    await conn.execute(
        "UPDATE outbox SET state = ?, last_error = ? WHERE id = ?", (state, error, item_id)
    )


async def requeue_interrupted(conn: aiosqlite.Connection, now: str) -> int:
    """Rows left 'sending' by a process that died: send them again (see README)."""
    cursor = await conn.execute(
        """UPDATE outbox SET state = 'pending', next_attempt_at = ?,
                             last_error = 'interrupted: process stopped while sending'
            WHERE state = 'sending'""",
        (now,),
    )
    return cursor.rowcount


async def next_due_after(db: Database, now: str) -> str | None:
    """The earliest future attempt; rows already due are the current run's business."""
    row = await db.fetchone(
        "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' AND next_attempt_at > ?",
        (now,),
    )
    return row[0] if row and row[0] else None


async def bring_forward_next_reminder(conn: aiosqlite.Connection, now: str) -> bool:
    """Demo only: make the customer's next reminder due now, as if time had passed."""
    cursor = await conn.execute(
        """UPDATE outbox SET next_attempt_at = ?1
            WHERE id = (SELECT id FROM outbox
                         WHERE state = 'pending' AND kind IN ('appointment_reminder',
                                                              'step_reminder')
                         ORDER BY next_attempt_at LIMIT 1)""",
        (now,),
    )
    return cursor.rowcount > 0
