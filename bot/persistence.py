"""python-telegram-bot persistence in the bot's own SQLite file.

Keeps what a dialog needs to resume after a restart: the ConversationHandler states and
`user_data` (the draft of a report). Rows exist only while a dialog is open, so loading
them all at start stays small however many customers there are. PTB writes changes every
`update_interval` seconds; what a customer *submits* never waits for that: it is stored
by the dialog itself before the customer is told.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.storage.db import Database

UPDATE_INTERVAL = 1.0

Data = dict[Any, Any]


class SQLitePersistence(BasePersistence[Data, Data, Data]):
    def __init__(
        self, open_db: Callable[[], Awaitable[Database]], update_interval: float = UPDATE_INTERVAL
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._open_db = open_db
        # What is stored, as JSON: PTB hands over every user of every update, changed or
        # not, and a write (an fsync) for unchanged data is wasted work.
        self._stored: dict[tuple[str, object], str] = {}

    def _unchanged(self, key: tuple[str, object], value: object) -> bool:
        text = json.dumps(value, sort_keys=True)
        if self._stored.get(key, json.dumps({} if key[0] == "user" else None)) == text:
            return True
        self._stored[key] = text
        return False

    async def get_user_data(self) -> dict[int, Data]:
        db = await self._open_db()
        rows = await db.fetchall("SELECT id, data FROM ptb_data WHERE scope = 'user'")
        data = {int(r["id"]): json.loads(r["data"]) for r in rows}
        for user_id, value in data.items():
            self._stored[("user", user_id)] = json.dumps(value, sort_keys=True)
        return data

    async def update_user_data(self, user_id: int, data: Data) -> None:
        if self._unchanged(("user", user_id), data):
            return
        db = await self._open_db()
        async with db.write() as conn:
            if data:
                await conn.execute(
                    """INSERT INTO ptb_data (scope, id, data) VALUES ('user', ?, ?)
                       ON CONFLICT (scope, id) DO UPDATE SET data = excluded.data""",
                    (user_id, json.dumps(data)),
                )
            else:
                await conn.execute(
                    "DELETE FROM ptb_data WHERE scope = 'user' AND id = ?", (user_id,)
                )

    async def drop_user_data(self, user_id: int) -> None:
        await self.update_user_data(user_id, {})

    async def get_conversations(self, name: str) -> ConversationDict:
        db = await self._open_db()
        rows = await db.fetchall("SELECT key, state FROM ptb_conversations WHERE name = ?", (name,))
        states = {tuple(json.loads(r["key"])): json.loads(r["state"]) for r in rows}
        for key, state in states.items():
            self._stored[(name, key)] = json.dumps(state, sort_keys=True)
        return states

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        if self._unchanged((name, tuple(key)), new_state):
            return
        db = await self._open_db()
        async with db.write() as conn:
            if new_state is None:
                await conn.execute(
                    "DELETE FROM ptb_conversations WHERE name = ? AND key = ?",
                    (name, json.dumps(list(key))),
                )
            else:
                await conn.execute(
                    """INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?)
                       ON CONFLICT (name, key) DO UPDATE SET state = excluded.state""",
                    (name, json.dumps(list(key)), json.dumps(new_state)),
                )

    # Not stored (see store_data): chat data, bot data, callback data.
    async def get_chat_data(self) -> dict[int, Data]:
        return {}

    async def get_bot_data(self) -> Data:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        pass

    async def update_bot_data(self, data: Data) -> None:
        pass

    async def update_callback_data(self, data: CDCData) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        pass

    async def refresh_bot_data(self, bot_data: Data) -> None:
        pass

    async def flush(self) -> None:
        pass  # every update is written when PTB hands it over
