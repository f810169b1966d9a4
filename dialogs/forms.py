"""What the step-by-step dialogs (report, conciliation) share: Cancel and Skip, and the
answers to text that is too long or to text where a button was expected."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot import callbacks
from bot.context import BotContext
from bot.i18n import Translator
from bot.replies import show
from bot.screen import Button, Screen, column
from dialogs.common import answer_query, menu_button, paragraphs

Handler = BaseHandler[Update, BotContext, Any]
# What a step-by-step dialog contributes to the one conversation: entry points, states,
# fallbacks (see dialogs/conversations.py).
Handlers = tuple[list[Handler], dict[object, list[Handler]], list[Handler]]


def cancel_button(t: Translator, area: str) -> Button:
    return Button(t.gettext("✖ Cancel"), callbacks.build(area, "cancel"))


def skip_button(t: Translator, area: str) -> Button:
    return Button(t.gettext("Skip ➜"), callbacks.build(area, "skip"))


async def on_cancel(update: Update, context: BotContext) -> int:
    """Cancel in any step of any dialog: drafts are dropped, nothing is sent."""
    await answer_query(update)
    if context.user_data is not None:
        context.user_data.clear()  # it holds nothing but the open dialog's draft
    await show(update, context, render_cancelled(context.t))
    return ConversationHandler.END


def render_cancelled(t: Translator) -> Screen:
    return Screen(paragraphs(t, t.gettext("Cancelled. Nothing was sent.")), column(menu_button(t)))


def render_button_expected(t: Translator, area: str) -> Screen:
    text = paragraphs(t, t.gettext("Please choose one of the buttons above, or cancel."))
    return Screen(text, column(cancel_button(t, area)))


def render_too_long(t: Translator, length: int, limit: int, *buttons: Button) -> Screen:
    text = t.gettext(
        "Your text has {length} characters; the limit is {limit}. Please shorten it and send "
        "it again.",
        length=length,
        limit=limit,
    )
    return Screen(paragraphs(t, text), column(*buttons))
