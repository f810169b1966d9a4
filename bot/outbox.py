"""The outbox dispatcher: sends what handlers and imports queued, exactly as recorded.

Life of a row: `pending` -> claimed as `sending` (committed before the HTTP call) ->
`sent` with Telegram's message id (committed right after). If the process dies between
those two commits, the row is still `sending` at the next start and is sent again: the
only message that can arrive twice is the one whose HTTP request was in flight at the
moment of the crash. We prefer that rare duplicate to a lost reminder.

Failures: 429 waits `retry_after` for that chat only; 403 marks the customer as having
blocked the bot (their rows wait until they write again); 400 is permanent (the row
fails, visible to operators); timeouts and network errors are retried with exponential
backoff, a bounded number of times for customers and without limit for caseworker
posts, which must never be lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import aiosqlite
from telegram import Bot, Chat, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import from_db, to_db
from bot.reminders import ReminderPolicy
from bot.replies import send
from bot.screen import Screen
from bot.services import Services
from bot.storage import outbox as store
from bot.storage import users
from bot.storage.outbox import OutboxItem

log = logging.getLogger(__name__)

BATCH = 200
MAX_CUSTOMER_ATTEMPTS = 6
BASE_BACKOFF = timedelta(seconds=15)
MAX_BACKOFF = timedelta(hours=1)
PER_CHAT_GAP = 1.0  # seconds between two pushed messages to one chat (Telegram's guidance)
# Sends in flight at once. Each is a message that may arrive twice if the process dies
# during its HTTP request (we cannot ask Telegram whether it arrived), so keep it small:
# four requests of ~100 ms already reach Telegram's limit of about 30 messages a second.
CONCURRENT_CHATS = 4


@dataclass(frozen=True)
class Outgoing:
    chat_id: int
    screen: Screen
    reply_to: int | None = None  # show as a reply to this message of the chat
    edit_message_id: int | None = None  # edit this message instead of sending a new one


@dataclass(frozen=True)
class Skip:
    reason: str


Render = Callable[[Services, OutboxItem], Awaitable[Outgoing | Skip]]
AfterSend = Callable[[aiosqlite.Connection, OutboxItem, Message, str], Awaitable[None]]


@dataclass(frozen=True)
class Kind:
    render: Render
    after_send: AfterSend | None = None


def backoff(attempts: int, base: timedelta = BASE_BACKOFF) -> timedelta:
    delay: timedelta = base * 2 ** max(attempts - 1, 0)
    return min(delay, MAX_BACKOFF)


class OutboxDispatcher:
    def __init__(
        self,
        services: Services,
        bot: Bot,
        kinds: dict[str, Kind],
        *,
        base_backoff: timedelta = BASE_BACKOFF,
    ) -> None:
        self.services = services
        self.bot = bot
        self.kinds = kinds
        self.base_backoff = base_backoff
        self._run_lock = asyncio.Lock()
        self._last_sent: dict[int, float] = {}
        self._paused_until: dict[int, float] = {}
        # A group that Telegram moved to a supergroup: follow it until the operator updates.
        self.migrated_chats: dict[int, int] = {}
        self.on_migration: list[Callable[[int], object]] = []

    @property
    def policy(self) -> ReminderPolicy:
        return ReminderPolicy.from_config(self.services.config)

    async def recover(self) -> int:
        """At start: rows a dead process left mid-send go back to the queue."""
        async with self.services.db.write() as conn:
            count = await store.requeue_interrupted(conn, to_db(self.services.clock.now()))
        if count:
            log.warning("outbox: %d messages were interrupted by a stop and are sent again", count)
        return count

    async def run_once(self) -> int:
        """Claim and send everything due now; returns how many rows were handled."""
        handled = 0
        async with self._run_lock:
            while True:
                now = self.services.clock.now()
                async with self.services.db.write() as conn:
                    await store.skip_expired(conn, to_db(now))
                    await store.skip_superseded(conn, to_db(now))
                    items = await store.claim_due(
                        conn,
                        to_db(now),
                        BATCH,
                        caseworkers=self.services.config.caseworker_chat_id is not None,
                    )
                if not items:
                    return handled
                # Loop until nothing is due: sending can queue follow-ups (confirmations).
                await self._deliver_all(items)
                handled += len(items)

    async def next_wake(self) -> datetime | None:
        now = self.services.clock.now()
        due = await store.next_due_after(self.services.db, to_db(now))
        return from_db(due) if due else None

    async def _deliver_all(self, items: list[OutboxItem]) -> None:
        by_chat: dict[int | str, list[tuple[OutboxItem, Outgoing]]] = defaultdict(list)
        for item in items:
            if await self._quiet_now(item):
                continue
            rendered = await self._render(item)
            if rendered is not None:
                by_chat[rendered.chat_id].append((item, rendered))
        limit = asyncio.Semaphore(CONCURRENT_CHATS)

        async def one_chat(batch: list[tuple[OutboxItem, Outgoing]]) -> None:
            async with limit:
                for item, outgoing in batch:
                    try:
                        await self._deliver(item, outgoing)
                    except Exception:  # anything unforeseen: retry later, never stuck
                        log.exception("outbox: row %d (%s) failed unexpectedly", item.id, item.kind)
                        await self._retry(item, "unexpected error")

        await asyncio.gather(*(one_chat(batch) for batch in by_chat.values()))

    async def _quiet_now(self, item: OutboxItem) -> bool:
        """Customers get nothing pushed in quiet hours, unless waiting makes it too late."""
        if item.audience != "customer":
            return False
        now = self.services.clock.now()
        end = self.policy.quiet_hours_end(now)
        if end is None or (item.expires_at is not None and end >= from_db(item.expires_at)):
            return False
        async with self.services.db.write() as conn:
            await store.postpone(conn, item.id, to_db(end))
        return True

    async def _render(self, item: OutboxItem) -> Outgoing | None:
        kind = self.kinds.get(item.kind)
        try:
            result = await kind.render(self.services, item) if kind else Skip("unknown kind")
        except Exception:
            log.exception("outbox: rendering row %d (%s) failed", item.id, item.kind)
            result = Skip("render error")
        if isinstance(result, Skip):
            async with self.services.db.write() as conn:
                state = "failed" if result.reason in {"unknown kind", "render error"} else "skipped"
                await store.finish(conn, item.id, state, result.reason)
            return None
        chat = self.migrated_chats.get(result.chat_id, result.chat_id)
        return replace(result, chat_id=chat)

    async def _deliver(self, item: OutboxItem, outgoing: Outgoing) -> None:
        chat = outgoing.chat_id
        wait = max(
            self._paused_until.get(chat, 0.0) - time.monotonic(),
            self._last_sent.get(chat, -PER_CHAT_GAP) + PER_CHAT_GAP - time.monotonic(),
        )
        if wait > PER_CHAT_GAP:  # paused by a 429: back to the queue, do not hold the batch
            await self._postpone(item, timedelta(seconds=wait))
            return
        if wait > 0:
            await asyncio.sleep(wait)
        try:
            message = await self._send(outgoing)
        except RetryAfter as err:
            seconds = err.retry_after
            delay = seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)
            self._paused_until[chat] = time.monotonic() + delay
            log.info("outbox: Telegram asked to wait %.0fs for one chat", delay)
            await self._postpone(item, timedelta(seconds=delay))
        except ChatMigrated as err:
            log.warning(
                "outbox: chat %s moved to %s; set KOBOT_CASEWORKER_CHAT_ID=%s",
                chat,
                err.new_chat_id,
                err.new_chat_id,
            )
            self.migrated_chats[chat] = err.new_chat_id
            for listener in self.on_migration:
                listener(err.new_chat_id)
            await self._postpone(item, timedelta(0))
        except Forbidden as err:
            await self._forbidden(item, chat, err)
        except BadRequest as err:
            if outgoing.edit_message_id is not None:
                # An edit that Telegram refuses (message gone, too old) cannot be retried into
                # success; the state it would show is in the database and in `/open`.
                async with self.services.db.write() as conn:
                    await store.finish(conn, item.id, "failed", f"edit: {err.message}")
                return
            await self._bad_request(item, err)
        except (TimedOut, NetworkError) as err:  # TimedOut: may have arrived; we resend
            await self._retry(item, type(err).__name__)
        else:
            self._last_sent[chat] = time.monotonic()
            await self._sent(item, message)

    async def _send(self, outgoing: Outgoing) -> Message:
        screen = outgoing.screen
        if outgoing.edit_message_id is None:
            return await send(self.bot, outgoing.chat_id, screen, reply_to=outgoing.reply_to)
        try:
            edited = await self.bot.edit_message_text(
                screen.text,
                chat_id=outgoing.chat_id,
                message_id=outgoing.edit_message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=screen.markup(),
            )
        except BadRequest as err:
            if "not modified" not in err.message.lower():
                raise
            edited = True  # already showing this: as good as done
        if isinstance(edited, Message):
            return edited
        return Message(
            outgoing.edit_message_id, datetime.now(UTC), Chat(outgoing.chat_id, Chat.SUPERGROUP)
        )

    async def _sent(self, item: OutboxItem, message: Message) -> None:
        now = to_db(self.services.clock.now())
        kind = self.kinds.get(item.kind)
        async with self.services.db.write() as conn:
            await store.mark_sent(conn, item.id, now, message.chat.id, message.message_id)
            if kind and kind.after_send:
                await kind.after_send(conn, item, message, now)

    async def _postpone(self, item: OutboxItem, delay: timedelta) -> None:
        when = to_db(self.services.clock.now() + delay)
        async with self.services.db.write() as conn:
            await store.postpone(conn, item.id, when)

    async def _forbidden(self, item: OutboxItem, chat: int, err: Forbidden) -> None:
        if item.audience == "customer":
            log.info(
                "outbox: customer %s blocked the bot; holding their messages", item.customer_id
            )
            now = to_db(self.services.clock.now())
            async with self.services.db.write() as conn:
                await users.mark_blocked(conn, chat, now)
                await store.postpone(conn, item.id, now)
        else:
            log.error("outbox: the bot may not post in the caseworker chat: %s", err.message)
            await self._retry(item, f"forbidden: {err.message}")

    async def _bad_request(self, item: OutboxItem, err: BadRequest) -> None:
        if item.audience == "caseworkers":
            # The group id may be wrong or the group gone: keep the post until it is fixed.
            log.error("outbox: caseworker chat rejected a post: %s", err.message)
            await self._retry(item, f"bad request: {err.message}")
            return
        log.error("outbox: row %d (%s) rejected: %s", item.id, item.kind, err.message)
        async with self.services.db.write() as conn:
            await store.finish(conn, item.id, "failed", f"bad request: {err.message}")

    async def _retry(self, item: OutboxItem, error: str) -> None:
        async with self.services.db.write() as conn:
            if item.audience == "customer" and item.attempts >= MAX_CUSTOMER_ATTEMPTS:
                log.error("outbox: row %d (%s) failed for good: %s", item.id, item.kind, error)
                await store.finish(conn, item.id, "failed", error)
                return
            when = to_db(self.services.clock.now() + backoff(item.attempts, self.base_backoff))
            await store.retry_later(conn, item.id, when, error)
