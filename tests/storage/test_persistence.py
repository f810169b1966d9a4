"""python-telegram-bot persistence in SQLite: stored, reloaded, and no write without change."""

from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.persistence import SQLitePersistence
from bot.storage.db import Database


async def test_round_trip_and_no_write_for_unchanged_data(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def open_db() -> Database:
        return db

    writes = 0
    real_write = db.write

    @asynccontextmanager
    async def counting_write() -> Any:
        nonlocal writes
        writes += 1
        async with real_write() as conn:
            yield conn

    monkeypatch.setattr(db, "write", counting_write)
    persistence = SQLitePersistence(open_db)
    await persistence.update_user_data(7, {"flag_draft": {"subject": "other"}})
    await persistence.update_user_data(7, {"flag_draft": {"subject": "other"}})
    await persistence.update_user_data(8, {})  # nothing stored, nothing to delete
    await persistence.update_conversation("dialogs", (7, 7), "reason")
    await persistence.update_conversation("dialogs", (7, 7), "reason")
    assert writes == 2

    reloaded = SQLitePersistence(open_db)
    assert await reloaded.get_user_data() == {7: {"flag_draft": {"subject": "other"}}}
    assert await reloaded.get_conversations("dialogs") == {(7, 7): "reason"}
    await reloaded.update_conversation("dialogs", (7, 7), None)
    assert await reloaded.get_conversations("dialogs") == {}
