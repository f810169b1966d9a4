"""The python-telegram-bot Application: handlers, jobs, start-up and shut-down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from telegram import BotCommand, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    ApplicationHandlerStop,
    BaseUpdateProcessor,
    ContextTypes,
    TypeHandler,
)

from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.context import SERVICES_KEY, App, BotContext
from bot.i18n import LANGUAGES, N_, Catalogs
from bot.outbox import BASE_BACKOFF, OutboxDispatcher
from bot.persistence import SQLitePersistence
from bot.replies import reply
from bot.services import Services
from bot.sessions import Session, load_session
from bot.storage.db import Database
from dialogs import (
    appointments,
    caseworkers,
    contact,
    conversations,
    explain,
    fallback,
    language,
    menu,
    plan,
    reminders,
    settings,
    start,
    status,
)
from dialogs import help as help_dialog
from dialogs.common import answer_query

log = logging.getLogger(__name__)

DISPATCH_INTERVAL = 30.0  # seconds; the dispatcher also wakes at the next due time
DISPATCHER_KEY = "outbox"

# (command, description) registered with setMyCommands in every language.
COMMANDS = (
    ("plan", N_("My plan")),
    ("appointments", N_("My appointments")),
    ("flag", N_("I cannot keep an appointment or a step")),
    ("status", N_("My reports and answers")),
    ("conciliation", N_("Ask for conciliation")),
    ("contact", N_("My contact person")),
    ("settings", N_("Reminders and language")),
    ("explain", N_("What is a Kooperationsplan?")),
    ("menu", N_("All options")),
    ("language", N_("Change the language")),
    ("help", N_("Help")),
)


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats are served concurrently; one chat's updates strictly in order.

    A double tap or two quick messages from one customer never race each other, while a
    slow answer to one customer never holds up another. The chat's turn is awaited before
    a processing slot is taken: fifty queued messages from one chat occupy one slot, not
    fifty, so everyone else keeps being served.
    """

    # PTB's own slot (taken before `do_process_update`) only bounds the queue; the real
    # limit is `_slots`, taken after the chat's turn has come.
    QUEUED_UPDATES = 10_000

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(self.QUEUED_UPDATES)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._waiting[chat.id] = self._waiting.get(chat.id, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiting[chat.id] -= 1
            if not self._waiting[chat.id]:  # nobody else queued for this chat: forget it
                del self._waiting[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


# What the bot handles. Edited messages are left out on purpose: an edited answer or
# report text must not count as a second one.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


async def attach_session(update: object, context: BotContext) -> None:
    """Runs before every handler (group -1): who is this, linked to whom, which language."""
    if not isinstance(update, Update):
        return
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    services = context.services
    if chat.type == ChatType.PRIVATE:
        context.session = await load_session(services, user.id, chat.id, user.language_code)
    else:  # the caseworkers' group (or a group someone added us to): German, no customer
        context.session = Session(user.id, chat.id, None, services.caseworker_translator())


async def on_error(update: object, context: BotContext) -> None:
    """Log without personal data, tell the user in their language, keep running."""
    error = context.error
    kind = type(error).__name__ if error else "unknown"
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error handling update %s: %s", update_id, kind, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    await answer_query(update)  # may fail (already answered, too old): it says nothing then
    try:
        note = context.t.gettext(
            "Sorry, something went wrong on my side. Please try again in a moment."
        )
        screen = fallback.with_menu(context.t, note, linked=context.customer_id is not None)
        await reply(update, context, screen)
    except TelegramError:
        log.warning("could not tell the user about the error")


async def dispatch_outbox(context: BotContext) -> None:
    dispatcher: OutboxDispatcher = context.application.bot_data[DISPATCHER_KEY]
    await dispatcher.run_once()
    wake = await dispatcher.next_wake()
    if wake is not None:
        delay = (wake - context.services.clock.now()).total_seconds()
        if delay < DISPATCH_INTERVAL:
            app = cast(App, context.application)
            _schedule_dispatch(app, max(delay, 0.0), "outbox-next-due")


def _schedule_dispatch(app: App, delay: float, name: str) -> None:
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    app.job_queue.run_once(dispatch_outbox, when=delay, name=name)


async def register_commands(app: App, catalogs: Catalogs, config: Config) -> None:
    for code in LANGUAGES:
        t = catalogs.translator(code, config.timezone)
        commands = [BotCommand(name, t.gettext(desc)) for name, desc in COMMANDS]
        if len(code) == 2:  # Telegram language codes are ISO 639-1
            await app.bot.set_my_commands(commands, language_code=code)
        if code == config.default_locale:
            await app.bot.set_my_commands(commands)


class OnceOpened:
    """The database, opened on first use: PTB loads persistence before `post_init`."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._db: Database | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Database:
        async with self._lock:
            if self._db is None:
                self._db = await Database.open(self._path)
            return self._db

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None


async def check_caseworker_chat(app: App, config: Config, dispatcher: OutboxDispatcher) -> bool:
    """Say clearly at start whether posts for the caseworkers can get through."""
    chat_id = config.caseworker_chat_id
    if chat_id is None:
        log.warning(
            "KOBOT_CASEWORKER_CHAT_ID is not set: flags are stored and listed by "
            "`kobot flags`, but no caseworker group is told"
        )
        return False
    try:
        await app.bot.get_chat(chat_id)
        member = await app.bot.get_chat_member(chat_id, app.bot.id)
    except ChatMigrated as err:
        log.error(
            "the caseworker group moved to chat id %s: set KOBOT_CASEWORKER_CHAT_ID=%s "
            "(posting there meanwhile)",
            err.new_chat_id,
            err.new_chat_id,
        )
        dispatcher.migrated_chats[chat_id] = err.new_chat_id
        caseworkers.staff_chats(app.bot_data).add_chat_ids(err.new_chat_id)
        return False
    except (BadRequest, Forbidden) as err:
        log.error(
            "cannot post in the caseworker chat %s (%s): flags wait in the database until it "
            "works; see `kobot flags`",
            chat_id,
            err.message,
        )
        return False
    except TelegramError as err:
        log.warning("could not check the caseworker chat now (%s); will keep trying", err)
        return False
    if member.status in ("left", "kicked"):
        log.error("the bot is not a member of the caseworker chat %s: add it", chat_id)
        return False
    log.info("caseworker chat reachable")
    return True


def build_application(
    config: Config,
    *,
    clock: Clock | None = None,
    catalogs: Catalogs | None = None,
    dispatch_interval: float = DISPATCH_INTERVAL,
    retry_backoff: timedelta = BASE_BACKOFF,
) -> App:
    """The bot, ready for `run_polling()` or manual `initialize/start` (tests, demo)."""
    token = config.require_token()
    clock = clock or SystemClock()
    catalogs = catalogs or Catalogs()
    database = OnceOpened(config.db_path)

    async def post_init(app: App) -> None:
        db = await database.get()
        services = Services(config=config, db=db, catalogs=catalogs, clock=clock)
        kinds = {
            **caseworkers.outbox_kinds(),
            **reminders.outbox_kinds(),
            **status.outbox_kinds(),
        }
        dispatcher = OutboxDispatcher(services, app.bot, kinds, base_backoff=retry_backoff)
        services.wake_outbox = lambda: _schedule_dispatch(app, 0, "outbox-wake")
        dispatcher.on_migration.append(caseworkers.staff_chats(app.bot_data).add_chat_ids)
        app.bot_data[SERVICES_KEY] = services
        app.bot_data[DISPATCHER_KEY] = dispatcher
        await dispatcher.recover()
        await register_commands(app, catalogs, config)
        await check_caseworker_chat(app, config, dispatcher)
        assert app.job_queue is not None
        app.job_queue.run_repeating(
            dispatch_outbox,
            interval=timedelta(seconds=dispatch_interval),
            first=0.5,
            name="outbox-tick",
        )

    async def post_shutdown(app: App) -> None:
        await database.close()

    app: App = (
        ApplicationBuilder()
        .token(token)
        .base_url(config.api_url)
        .base_file_url(config.file_url)
        .context_types(ContextTypes(context=BotContext))
        # Retries are the outbox's job: a 429 must not freeze everyone's conversations.
        .rate_limiter(AIORateLimiter(max_retries=0))
        .concurrent_updates(PerChatUpdateProcessor())
        # Conversations survive restarts; the database is opened by whichever needs it first.
        .persistence(SQLitePersistence(database.get))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.add_handler(TypeHandler(Update, attach_session), group=-1)
    caseworkers.register(app, config)
    # Conversations first: while one is open, its states see the customer's messages.
    dialogs = (
        conversations,
        start,
        plan,
        appointments,
        status,
        contact,
        explain,
        settings,
        language,
        help_dialog,
        menu,
    )
    for dialog in (*dialogs, fallback):
        dialog.register(app)  # fallback last: it takes whatever the others did not
    app.add_error_handler(on_error)
    return app


async def start_app(app: App, *, poll_timeout: float = 1.0) -> None:
    """What `run_polling` does before idling, for the demo and tests (same event loop)."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0, timeout=timedelta(seconds=poll_timeout), allowed_updates=ALLOWED_UPDATES
    )
    await app.start()


async def stop_app(app: App) -> None:
    """What `run_polling` does when it ends."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
