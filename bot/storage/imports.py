"""Bulk statements for `kobot import` (see bot/importing/apply.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiosqlite

Rows = Sequence[Sequence[Any]]


@dataclass(frozen=True)
class StoredAppointment:
    id: int
    fields: tuple[Any, ...]  # starts_at, topic, location, with_name, bring
    status: str


@dataclass(frozen=True)
class StoredCustomer:
    id: int
    import_hash: str
    fields: tuple[Any, ...]  # name, locale, contact_id


async def existing_customers(
    conn: aiosqlite.Connection, numbers: list[str]
) -> dict[str, StoredCustomer]:
    """The stored customers among `numbers` (staged in a temp table, joined by index)."""
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS _incoming (number TEXT PRIMARY KEY)")
    await conn.execute("DELETE FROM temp._incoming")
    await conn.executemany("INSERT INTO temp._incoming VALUES (?)", [(n,) for n in numbers])
    cursor = await conn.execute(
        """SELECT c.customer_number, c.id, c.import_hash, c.name, c.locale, c.contact_id
             FROM temp._incoming i JOIN customers c ON c.customer_number = i.number"""
    )
    return {
        row[0]: StoredCustomer(row[1], row[2], tuple(row[3:6])) for row in await cursor.fetchall()
    }


async def contact_ids(
    conn: aiosqlite.Connection, contacts: set[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    if not contacts:
        return {}
    await conn.executemany(
        "INSERT INTO contacts (name, phone) VALUES (?, ?) ON CONFLICT DO NOTHING", list(contacts)
    )
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS _contacts (name TEXT, phone TEXT)")
    await conn.execute("DELETE FROM temp._contacts")
    await conn.executemany("INSERT INTO temp._contacts VALUES (?, ?)", list(contacts))
    cursor = await conn.execute(
        """SELECT c.id, c.name, c.phone FROM temp._contacts t
             JOIN contacts c ON c.name = t.name AND c.phone = t.phone"""
    )
    return {(row[1], row[2]): row[0] for row in await cursor.fetchall()}


async def insert_customers(conn: aiosqlite.Connection, rows: Rows, now: str) -> dict[str, int]:
    """Insert new customers; returns customer_number -> id of the inserted ones."""
    if not rows:
        return {}
    await conn.executemany(
        """INSERT INTO customers (customer_number, name, locale, contact_id, import_hash,
                                  created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(*row, now, now) for row in rows],
    )
    inserted = {row[0] for row in rows}
    cursor = await conn.execute(
        """SELECT c.customer_number, c.id
             FROM temp._incoming i JOIN customers c ON c.customer_number = i.number"""
    )
    return {row[0]: row[1] for row in await cursor.fetchall() if row[0] in inserted}


async def update_customers(conn: aiosqlite.Connection, rows: Rows) -> None:
    """Rows: (name, locale, contact_id, import_hash, id); updated_at only on real changes."""
    await conn.executemany(
        """UPDATE customers
              SET updated_at = CASE WHEN (name, locale, contact_id) IS NOT (?1, ?2, ?3)
                                    THEN ?6 ELSE updated_at END,
                  name = ?1, locale = ?2, contact_id = ?3, import_hash = ?4
            WHERE id = ?5""",
        rows,
    )


async def upsert_plans(conn: aiosqlite.Connection, rows: Rows) -> None:
    await conn.executemany(
        """INSERT INTO plans (customer_id, goal, interim_goal, jobcenter_support, other_support,
                              other_notes, agreed_on, review_on, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (customer_id) DO UPDATE SET
               goal = excluded.goal, interim_goal = excluded.interim_goal,
               jobcenter_support = excluded.jobcenter_support,
               other_support = excluded.other_support, other_notes = excluded.other_notes,
               agreed_on = excluded.agreed_on, review_on = excluded.review_on,
               updated_at = excluded.updated_at""",
        rows,
    )


async def delete_plans(conn: aiosqlite.Connection, rows: Rows, now: str) -> None:
    await conn.executemany("DELETE FROM plans WHERE customer_id = ?", rows)
    await conn.executemany(
        "UPDATE plan_steps SET removed_at = ? WHERE customer_id = ? AND removed_at IS NULL",
        [(now, row[0]) for row in rows],
    )


async def upsert_steps(conn: aiosqlite.Connection, rows: Rows) -> None:
    await conn.executemany(
        """INSERT INTO plan_steps (customer_id, ext_id, position, text, due_on, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (customer_id, ext_id) DO UPDATE SET
               position = excluded.position, text = excluded.text, due_on = excluded.due_on,
               removed_at = NULL, updated_at = excluded.updated_at""",
        rows,
    )


async def remove_steps(conn: aiosqlite.Connection, rows: Rows) -> None:
    await conn.executemany(
        "UPDATE plan_steps SET removed_at = ? WHERE customer_id = ? AND ext_id = ?", rows
    )


async def insert_appointments(
    conn: aiosqlite.Connection, rows: Rows, *, returning: bool = False
) -> list[tuple[int, int]]:
    """Insert appointments; with `returning`, (customer_id, id) of each (staged customers)."""
    if not rows:
        return []
    await conn.executemany(
        """INSERT INTO appointments (customer_id, ext_id, starts_at, topic, location, with_name,
                                     bring, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    if not returning:
        return []
    inserted = {(row[0], row[1]) for row in rows}
    cursor = await conn.execute(
        """SELECT a.customer_id, a.ext_id, a.id FROM temp._changed s
             JOIN appointments a ON a.customer_id = s.id"""
    )
    return [(r[0], r[2]) for r in await cursor.fetchall() if (r[0], r[1]) in inserted]


async def update_appointments(conn: aiosqlite.Connection, rows: Rows) -> None:
    """Rows: (starts_at, topic, location, with_name, bring, updated_at, id).

    A new time clears the customer's earlier "I will be there" / "I cannot come".
    """
    await conn.executemany(
        """UPDATE appointments
              SET confirmed_at = CASE WHEN starts_at = :starts THEN confirmed_at END,
                  cannot_come_at = CASE WHEN starts_at = :starts THEN cannot_come_at END,
                  starts_at = :starts, topic = :topic, location = :location,
                  with_name = :with_name, bring = :bring, updated_at = :now,
                  status = 'scheduled', sequence = sequence + 1
            WHERE id = :id""",
        [
            dict(
                zip(
                    ("starts", "topic", "location", "with_name", "bring", "now", "id"),
                    row,
                    strict=True,
                )
            )
            for row in rows
        ],
    )


async def cancel_appointments(conn: aiosqlite.Connection, rows: Rows) -> None:
    await conn.executemany(
        """UPDATE appointments SET status = 'cancelled', sequence = sequence + 1, updated_at = ?
            WHERE id = ?""",
        rows,
    )


async def stage_customer_ids(conn: aiosqlite.Connection, ids: list[int]) -> None:
    await conn.execute("CREATE TEMP TABLE IF NOT EXISTS _changed (id INTEGER PRIMARY KEY)")
    await conn.execute("DELETE FROM temp._changed")
    await conn.executemany("INSERT INTO temp._changed VALUES (?)", [(i,) for i in ids])


async def staged_plans(conn: aiosqlite.Connection) -> dict[int, tuple[Any, ...]]:
    cursor = await conn.execute(
        """SELECT p.customer_id, p.goal, p.interim_goal, p.jobcenter_support, p.other_support,
                  p.other_notes, p.agreed_on, p.review_on
             FROM temp._changed s JOIN plans p ON p.customer_id = s.id"""
    )
    return {row[0]: tuple(row[1:]) for row in await cursor.fetchall()}


async def staged_steps(conn: aiosqlite.Connection) -> dict[int, dict[str, tuple[Any, ...]]]:
    cursor = await conn.execute(
        """SELECT st.customer_id, st.ext_id, st.position, st.text, st.due_on, st.removed_at
             FROM temp._changed s JOIN plan_steps st ON st.customer_id = s.id"""
    )
    result: dict[int, dict[str, tuple[Any, ...]]] = {}
    for row in await cursor.fetchall():
        result.setdefault(row[0], {})[row[1]] = tuple(row[2:])
    return result


async def staged_appointments(
    conn: aiosqlite.Connection,
) -> dict[int, dict[str, StoredAppointment]]:
    cursor = await conn.execute(
        """SELECT a.customer_id, a.ext_id, a.id, a.starts_at, a.topic, a.location, a.with_name,
                  a.bring, a.status
             FROM temp._changed s JOIN appointments a ON a.customer_id = s.id"""
    )
    result: dict[int, dict[str, StoredAppointment]] = {}
    for row in await cursor.fetchall():
        stored = StoredAppointment(row[2], tuple(row[3:8]), row[8])
        result.setdefault(row[0], {})[row[1]] = stored
    return result
