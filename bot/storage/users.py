"""Telegram users: who wrote to the bot, their language, whether they blocked us."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.storage.db import Database


@dataclass(frozen=True)
class UserRow:
    user_id: int
    chat_id: int
    language_code: str | None
    locale: str | None
    reminders_on: bool
    blocked: bool
    customer_id: int | None
    customer_locale: str | None


async def user_row(db: Database, user_id: int) -> UserRow | None:
    row = await db.fetchone(
        """SELECT u.user_id, u.chat_id, u.language_code, u.locale, u.reminders_on,
                  u.blocked_at IS NOT NULL AS blocked, l.customer_id, c.locale AS customer_locale
             FROM tg_users u
             LEFT JOIN customer_links l ON l.user_id = u.user_id
             LEFT JOIN customers c ON c.id = l.customer_id
            WHERE u.user_id = ?""",
        (user_id,),
    )
    if row is None:
        return None
    return UserRow(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        language_code=row["language_code"],
        locale=row["locale"],
        reminders_on=bool(row["reminders_on"]),
        blocked=bool(row["blocked"]),
        customer_id=row["customer_id"],
        customer_locale=row["customer_locale"],
    )


async def upsert_user(
    conn: aiosqlite.Connection, user_id: int, chat_id: int, language_code: str | None, now: str
) -> None:
    """Record a user who wrote to us; writing again also lifts a 'blocked' mark."""
    await conn.execute(
        """INSERT INTO tg_users (user_id, chat_id, language_code, first_seen_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE
              SET chat_id = excluded.chat_id, language_code = excluded.language_code,
                  blocked_at = NULL""",
        (user_id, chat_id, language_code, now),
    )


async def set_locale(conn: aiosqlite.Connection, user_id: int, locale: str) -> None:
    await conn.execute("UPDATE tg_users SET locale = ? WHERE user_id = ?", (locale, user_id))


async def set_reminders(conn: aiosqlite.Connection, user_id: int, on: bool) -> None:
    await conn.execute("UPDATE tg_users SET reminders_on = ? WHERE user_id = ?", (int(on), user_id))


async def mark_blocked(conn: aiosqlite.Connection, chat_id: int, now: str) -> None:
    await conn.execute(
        "UPDATE tg_users SET blocked_at = ? WHERE chat_id = ? AND blocked_at IS NULL",
        (now, chat_id),
    )


async def recipient_row(db: Database, customer_id: int) -> UserRow | None:
    """The Telegram account linked to a customer, if any."""
    row = await db.fetchone(
        "SELECT user_id FROM customer_links WHERE customer_id = ?", (customer_id,)
    )
    return await user_row(db, row[0]) if row else None
