"""The SQLite database: connections, pragmas, migrations and transactions.

One writer connection serialises write transactions under an asyncio lock with
`BEGIN IMMEDIATE`: aiosqlite runs a connection's statements on one thread, so coroutines
sharing it would otherwise interleave their statements inside one another's transactions.
A second, read-only connection serves reads, so readers never see another coroutine's
uncommitted writes and never wait behind a long import (WAL gives them a snapshot).
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

# Long enough to wait out an import running in another process.
BUSY_TIMEOUT_MS = 60_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Row = sqlite3.Row
Params = Sequence[Any] | dict[str, Any]


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every bundled migration, in order."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return found


async def _connect(path: Path, *, readonly: bool) -> aiosqlite.Connection:
    uri = f"file:{path}{'?mode=ro' if readonly else ''}"
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, nothing implicit.
    conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA foreign_keys = ON")
    # FULL: a commit is on disk before we tell a customer "saved" (survives power loss).
    await conn.execute("PRAGMA synchronous = FULL")
    return conn


class Database:
    """The bot's SQLite file. Open with `await Database.open(path)`."""

    def __init__(self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection):
        self.path = path
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._read_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path, readonly=False)
        try:
            mode = await (await writer.execute("PRAGMA journal_mode = WAL")).fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise RuntimeError(f"could not switch {path} to WAL mode")
            await _migrate(writer)
            reader = await _connect(path, readonly=True)
        except BaseException:
            await writer.close()
            raise
        return cls(path, writer, reader)

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time; commits on success, rolls back on any error."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent snapshot for several queries that belong together."""
        async with self._read_lock:
            await self._reader.execute("BEGIN")
            try:
                yield self._reader
            finally:
                await self._reader.execute("COMMIT")

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._read_lock:
            cursor = await self._reader.execute(sql, params)
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._read_lock:
            cursor = await self._reader.execute(sql, params)
            return list(await cursor.fetchall())

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0


async def _migrate(conn: aiosqlite.Connection) -> None:
    row = await (await conn.execute("PRAGMA user_version")).fetchone()
    current = int(row[0]) if row else 0
    known = migrations()
    if current > len(known):
        raise RuntimeError(
            f"the database has schema version {current}, newer than this bot ({len(known)})"
        )
    for version, name, sql in known[current:]:
        log.info("applying migration %s", name)
        # executescript runs the statements as one script; the transaction is ours.
        script = f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise


async def executemany(conn: aiosqlite.Connection, sql: str, rows: Iterable[Params]) -> None:
    """executemany that accepts any iterable (aiosqlite types it narrowly)."""
    await conn.executemany(sql, list(rows))
