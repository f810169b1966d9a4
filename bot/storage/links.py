"""Link codes, link attempts and the customer <-> Telegram account links."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class CodeRow:
    id: int
    customer_id: int
    expires_at: str
    used_at: str | None
    revoked_at: str | None


async def customer_id_by_number(conn: aiosqlite.Connection, number: str) -> int | None:
    cursor = await conn.execute("SELECT id FROM customers WHERE customer_number = ?", (number,))
    row = await cursor.fetchone()
    return int(row[0]) if row else None


async def insert_code(
    conn: aiosqlite.Connection, customer_id: int, code_hash: str, now: str, expires_at: str
) -> None:
    """A new code supersedes the customer's older unused ones (a lost letter stops working)."""
    await conn.execute(
        """UPDATE link_codes SET revoked_at = ?
            WHERE customer_id = ? AND used_at IS NULL AND revoked_at IS NULL""",
        (now, customer_id),
    )
    await conn.execute(
        """INSERT INTO link_codes (customer_id, code_hash, created_at, expires_at)
           VALUES (?, ?, ?, ?)""",
        (customer_id, code_hash, now, expires_at),
    )


async def code_by_hash(conn: aiosqlite.Connection, code_hash: str) -> CodeRow | None:
    cursor = await conn.execute(
        """SELECT id, customer_id, expires_at, used_at, revoked_at
             FROM link_codes WHERE code_hash = ?""",
        (code_hash,),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    return CodeRow(row[0], row[1], row[2], row[3], row[4])


async def mark_code_used(conn: aiosqlite.Connection, code_id: int, user_id: int, now: str) -> None:
    await conn.execute(
        "UPDATE link_codes SET used_at = ?, used_by = ? WHERE id = ?", (now, user_id, code_id)
    )


async def failed_attempts_since(conn: aiosqlite.Connection, user_id: int, since: str) -> int:
    cursor = await conn.execute(
        "SELECT count(*) FROM link_attempts WHERE user_id = ? AND at >= ? AND ok = 0",
        (user_id, since),
    )
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def record_attempt(conn: aiosqlite.Connection, user_id: int, now: str, ok: bool) -> None:
    await conn.execute(
        "INSERT INTO link_attempts (user_id, at, ok) VALUES (?, ?, ?)", (user_id, now, int(ok))
    )


@dataclass(frozen=True)
class Moved:
    """What a new link replaced: the customer's earlier account, the account's earlier
    customer (one account shows one customer)."""

    previous_user: int | None
    previous_customer: int | None


async def link(conn: aiosqlite.Connection, customer_id: int, user_id: int, now: str) -> Moved:
    """Bind customer and account, moving any earlier link away."""
    cursor = await conn.execute(
        "SELECT user_id FROM customer_links WHERE customer_id = ?", (customer_id,)
    )
    previous = await cursor.fetchone()
    cursor = await conn.execute(
        "SELECT customer_id FROM customer_links WHERE user_id = ?", (user_id,)
    )
    other = await cursor.fetchone()
    await conn.execute(
        "DELETE FROM customer_links WHERE customer_id = ? OR user_id = ?", (customer_id, user_id)
    )
    await conn.execute(
        "INSERT INTO customer_links (customer_id, user_id, linked_at) VALUES (?, ?, ?)",
        (customer_id, user_id, now),
    )
    return Moved(
        int(previous[0]) if previous and previous[0] != user_id else None,
        int(other[0]) if other and other[0] != customer_id else None,
    )
