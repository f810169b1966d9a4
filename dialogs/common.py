"""Pieces several dialogs share: the menu button, Jobcenter texts, the linked-only guard."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from functools import wraps
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from bot import callbacks
from bot.context import BotContext
from bot.i18n import Html, Translator
from bot.localized import pick
from bot.replies import show
from bot.screen import Button, Screen, column

log = logging.getLogger(__name__)

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def menu_button(t: Translator) -> Button:
    return Button(t.gettext("☰ Menu"), callbacks.build("menu", "show"))


class JobcenterTexts:
    """Picks the reader's language for Jobcenter texts and remembers if German was shown."""

    def __init__(self, t: Translator) -> None:
        self.t = t
        self.german_shown = False

    def __call__(self, texts: Mapping[str, str]) -> Html:
        shown = pick(texts, self.t.locale)
        self.german_shown |= shown.original_german
        return self.t.data(shown.text)

    def footnote(self) -> str:
        if not self.german_shown:
            return ""
        return self.t.gettext("<i>Texts from your Jobcenter are shown in German, as written.</i>")


def not_linked_screen(t: Translator) -> Screen:
    text = "\n\n".join(
        [
            t.gettext("<b>Your account is not connected yet.</b>"),
            t.gettext(
                "To see your own plan and appointments, you need a personal link code from "
                "your Jobcenter. Ask your contact person for it, then open the link or send "
                "me the code."
            ),
        ]
    )
    return Screen(text, column(menu_button(t)))


def linked_only(handler: Handler) -> Handler:
    """Customers' own data only after linking; everyone else gets guidance, never data."""

    @wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        if context.customer_id is None:
            await answer_query(update)
            await show(update, context, not_linked_screen(context.t))
            return
        await handler(update, context)

    return guarded


async def answer_query(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Stop the button's spinner (every callback query must be answered).

    Telegram refuses answers to presses older than about 15 seconds (handled late after a
    restart or a backlog). That must never stop the press from doing its work.
    """
    if update.callback_query is None:
        return
    try:
        await update.callback_query.answer(text, show_alert=alert)
    except BadRequest as err:
        log.info("could not answer a button press (%s); going on", err.message)


def paragraphs(t: Translator, *parts: str) -> str:
    """Join non-empty paragraphs; in RTL languages each starts right-to-left."""
    return "\n\n".join(t.paragraph(p) for p in parts if p)
