"""The main menu: one big button per feature."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.replies import show
from bot.screen import Button, Screen, column
from dialogs.common import answer_query, paragraphs


def language_button(t: Translator) -> Button:
    label: str = t.gettext("🌐 Language")
    # Someone who cannot read the current language still finds the English word.
    if t.locale != "en":
        label = f"{label} · Language"
    return Button(label, callbacks.build("lang", "pick"))


def explain_button(t: Translator) -> Button:
    return Button(t.gettext("❓ What is a Kooperationsplan?"), callbacks.build("explain", "start"))


def render_menu(t: Translator, *, linked: bool) -> Screen:
    if linked:
        text = paragraphs(t, t.gettext("<b>Menu</b>"), t.gettext("What would you like to do?"))
        buttons = column(
            Button(t.gettext("📋 My plan"), callbacks.build("plan", "show")),
            Button(t.gettext("📅 My appointments"), callbacks.build("appt", "list")),
            Button(t.gettext("✋ I cannot keep an appointment"), callbacks.build("flag", "new")),
            Button(t.gettext("📨 My reports"), callbacks.build("stat", "show")),
            explain_button(t),
            Button(t.gettext("⚖️ Conciliation"), callbacks.build("conc", "new")),
            Button(t.gettext("☎️ My contact person"), callbacks.build("contact", "show")),
            Button(t.gettext("⚙️ Settings"), callbacks.build("set", "show")),
            Button(t.gettext("❔ Help"), callbacks.build("help", "show")),
            language_button(t),
        )
    else:
        text = paragraphs(
            t,
            t.gettext("<b>Menu</b>"),
            t.gettext("Connect your account with the code from your Jobcenter to see your plan."),
        )
        buttons = column(
            explain_button(t),
            Button(t.gettext("🔗 How do I connect?"), callbacks.build("help", "link")),
            language_button(t),
        )
    return Screen(text, buttons)


async def show_menu(update: Update, context: BotContext) -> None:
    await answer_query(update)
    await show(update, context, render_menu(context.t, linked=context.customer_id is not None))


def register(app: App) -> None:
    app.add_handler(CommandHandler("menu", show_menu, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(show_menu, pattern=callbacks.pattern("menu")))
