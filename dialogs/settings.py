"""`/settings`: reminders on or off, and the language."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.replies import show
from bot.screen import Button, Screen, column
from bot.sessions import set_reminders
from dialogs.common import answer_query, linked_only, menu_button, paragraphs
from dialogs.menu import language_button

AREA = "set"


def render_settings(t: Translator, *, reminders_on: bool) -> Screen:
    state = (
        t.gettext("🔔 Reminders are <b>on</b>: I remind you of appointments and steps.")
        if reminders_on
        else t.gettext("🔕 Reminders are <b>off</b>: I do not remind you of appointments.")
    )
    toggle = (
        Button(t.gettext("🔕 Turn reminders off"), callbacks.build(AREA, "rem", "off"))
        if reminders_on
        else Button(t.gettext("🔔 Turn reminders on"), callbacks.build(AREA, "rem", "on"))
    )
    text = paragraphs(t, t.gettext("⚙️ <b>Settings</b>"), state)
    return Screen(text, column(toggle, language_button(t), menu_button(t)))


@linked_only
async def show_settings(update: Update, context: BotContext) -> None:
    await answer_query(update)
    assert context.session is not None
    parsed = callbacks.parse(update.callback_query.data) if update.callback_query else None
    if parsed is not None and parsed.action == "rem" and parsed.args in (("on",), ("off",)):
        on = parsed.args == ("on",)
        await set_reminders(context.services, context.session.user_id, on)
        context.session = replace(context.session, reminders_on=on)
    await show(
        update, context, render_settings(context.t, reminders_on=context.session.reminders_on)
    )


def register(app: App) -> None:
    app.add_handler(CommandHandler("settings", show_settings, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(show_settings, pattern=callbacks.pattern(AREA)))
