"""Who is talking to the bot: their Telegram account, linked customer and language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import to_db
from bot.i18n import LANGUAGES, Translator, language_for
from bot.services import Services
from bot.storage import users


@dataclass(frozen=True)
class Session:
    user_id: int
    chat_id: int
    customer_id: int | None
    t: Translator
    reminders_on: bool = True

    @property
    def linked(self) -> bool:
        return self.customer_id is not None


def resolve_locale(
    chosen: str | None, recorded: str | None, telegram_code: str | None, default: str
) -> str:
    """The customer's own choice, else the Jobcenter's record, else Telegram's, else default."""
    for candidate in (chosen, recorded):
        if candidate in LANGUAGES:
            return candidate
    return language_for(telegram_code) or default


async def load_session(
    services: Services, user_id: int, chat_id: int, language_code: str | None
) -> Session:
    row = await users.user_row(services.db, user_id)
    if row is None or row.blocked or row.language_code != language_code or row.chat_id != chat_id:
        # Writes only when something changed: most updates cost one indexed read.
        async with services.db.write() as conn:
            now = to_db(services.clock.now())
            await users.upsert_user(conn, user_id, chat_id, language_code, now)
        row = await users.user_row(services.db, user_id)
        assert row is not None
    locale = resolve_locale(
        row.locale, row.customer_locale, language_code, services.config.default_locale
    )
    return Session(
        user_id=user_id,
        chat_id=chat_id,
        customer_id=row.customer_id,
        t=services.translator(locale),
        reminders_on=row.reminders_on,
    )


async def recipient(services: Services, customer_id: int) -> Session | None:
    """Where and in which language to push to a customer (None: not linked)."""
    row = await users.recipient_row(services.db, customer_id)
    if row is None:
        return None
    locale = resolve_locale(
        row.locale, row.customer_locale, row.language_code, services.config.default_locale
    )
    return Session(
        user_id=row.user_id,
        chat_id=row.chat_id,
        customer_id=customer_id,
        t=services.translator(locale),
        reminders_on=row.reminders_on,
    )


async def set_reminders(services: Services, user_id: int, on: bool) -> None:
    async with services.db.write() as conn:
        await users.set_reminders(conn, user_id, on)


async def choose_locale(services: Services, user_id: int, locale: str) -> Translator:
    """Store the language a user picked; returns a translator for it."""
    if locale not in LANGUAGES:
        raise ValueError(f"unknown locale {locale}")
    async with services.db.write() as conn:
        await users.set_locale(conn, user_id, locale)
    return services.translator(locale)
