"""The audit log: events with ids, never personal data."""

from __future__ import annotations

import json

import aiosqlite


async def record(
    conn: aiosqlite.Connection,
    now: str,
    actor: str,
    event: str,
    *,
    customer_id: int | None = None,
    flag_id: int | None = None,
    **details: str | int | None,
) -> None:
    await conn.execute(
        """INSERT INTO audit_log (at, actor, event, customer_id, flag_id, details)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (now, actor, event, customer_id, flag_id, json.dumps(details, sort_keys=True)),
    )
