"""Whatever no other handler took: unknown commands, stray text, stickers, old buttons."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import App, BotContext
from bot.i18n import Translator
from bot.intents import match
from bot.linking import looks_like_code
from bot.replies import reply, send
from bot.screen import Screen
from dialogs import questions
from dialogs.common import answer_query, paragraphs
from dialogs.menu import render_menu
from dialogs.start import link_with_code


def with_menu(t: Translator, note: str, *, linked: bool) -> Screen:
    menu = render_menu(t, linked=linked)
    return replace(menu, text=paragraphs(t, note, menu.text))


async def unknown_command(update: Update, context: BotContext) -> None:
    note = context.t.gettext("I do not know this command.")
    await reply(update, context, with_menu(context.t, note, linked=context.customer_id is not None))


async def text_message(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    candidate = message.text.strip()
    # A link code sent as text links first; a long word like "Schlichtungsverfahren"
    # is code-shaped too, so a matching question is answered instead.
    if (
        context.customer_id is None
        and looks_like_code(candidate)
        and match(candidate, context.t.locale) is None
    ):
        await link_with_code(update, context, candidate)
        return
    if not await questions.answer_question(update, context, candidate):
        await questions.answer_not_understood(update, context)


async def other_message(update: Update, context: BotContext) -> None:
    note = context.t.gettext("I can only read text messages and buttons.")
    await reply(update, context, with_menu(context.t, note, linked=context.customer_id is not None))


async def stale_button(update: Update, context: BotContext) -> None:
    """Buttons we did not build, or that no longer apply: say so, offer the menu."""
    query = update.callback_query
    assert query is not None
    t = context.t
    await answer_query(update, t.gettext("This button no longer works."))
    chat = update.effective_chat
    if chat is not None and chat.type == chat.PRIVATE:
        note = t.gettext("This button no longer works. Here is the menu.")
        await send(context.bot, chat.id, with_menu(t, note, linked=context.customer_id is not None))


def register(app: App) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, text_message))
    app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, other_message))
    app.add_handler(CallbackQueryHandler(stale_button))
