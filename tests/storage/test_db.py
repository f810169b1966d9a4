"""The database: migrations, durability settings, and serialised write transactions."""

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database, migrations


async def test_migrations_are_applied_and_recorded(db: Database) -> None:
    assert await db.schema_version() == len(migrations())
    tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    expected = {
        "customers",
        "contacts",
        "plans",
        "plan_steps",
        "appointments",
        "tg_users",
        "customer_links",
        "link_codes",
        "link_attempts",
        "flags",
        "flag_answers",
        "outbox",
        "audit_log",
    }
    assert expected <= tables


async def test_reopening_does_not_migrate_again(tmp_path: Path) -> None:
    first = await Database.open(tmp_path / "x.sqlite3")
    version = await first.schema_version()
    await first.close()
    second = await Database.open(tmp_path / "x.sqlite3")
    assert await second.schema_version() == version
    await second.close()


async def test_wal_full_sync_and_foreign_keys(db: Database) -> None:
    async with db.write() as conn:
        mode = await (await conn.execute("PRAGMA journal_mode")).fetchone()
        sync = await (await conn.execute("PRAGMA synchronous")).fetchone()
        fks = await (await conn.execute("PRAGMA foreign_keys")).fetchone()
    assert mode is not None and mode[0] == "wal"
    assert sync is not None and sync[0] == 2  # FULL
    assert fks is not None and fks[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        async with db.write() as conn:
            await conn.execute(
                "INSERT INTO customer_links (customer_id, user_id, linked_at) VALUES (99, 1, 'x')"
            )


async def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 999").connection.close()
    with pytest.raises(RuntimeError, match="newer than this bot"):
        await Database.open(path)


async def test_concurrent_write_transactions_do_not_interleave(db: Database) -> None:
    """Read-modify-write from many coroutines at once: no lost update, no nested BEGIN."""
    async with db.write() as conn:
        await conn.execute("INSERT INTO contacts (id, name, phone) VALUES (1, 'counter', '0')")

    async def increment() -> None:
        async with db.write() as conn:
            row = await (await conn.execute("SELECT phone FROM contacts WHERE id = 1")).fetchone()
            await asyncio.sleep(0)  # give every other coroutine the chance to interleave
            await conn.execute(
                "UPDATE contacts SET phone = ? WHERE id = 1", (str(int(row[0]) + 1),)
            )

    await asyncio.gather(*(increment() for _ in range(50)))
    row = await db.fetchone("SELECT phone FROM contacts WHERE id = 1")
    assert row is not None and row[0] == "50"


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.write() as conn:
            await conn.execute("INSERT INTO contacts (name, phone) VALUES ('a', '1')")
            raise RuntimeError("boom")
    assert await db.fetchall("SELECT * FROM contacts") == []
    async with db.write() as conn:  # and the connection is usable again
        await conn.execute("INSERT INTO contacts (name, phone) VALUES ('b', '2')")
    assert len(await db.fetchall("SELECT * FROM contacts")) == 1


async def test_readers_never_see_uncommitted_writes(db: Database) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with db.write() as conn:
            await conn.execute("INSERT INTO contacts (name, phone) VALUES ('pending', '')")
            started.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await started.wait()
    assert await db.fetchall("SELECT * FROM contacts") == []
    release.set()
    await task
    assert len(await db.fetchall("SELECT * FROM contacts")) == 1
