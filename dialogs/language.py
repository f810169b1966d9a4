"""`/language`: pick the bot's language; each language is named in its own script."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import LANGUAGES, Translator
from bot.replies import show
from bot.screen import Button, Screen
from bot.sessions import choose_locale
from dialogs.common import answer_query, menu_button, paragraphs
from dialogs.menu import render_menu


def render_picker(t: Translator) -> Screen:
    buttons = [
        Button(
            f"✓ {lang.native_name}" if lang.code == t.locale else lang.native_name,
            callbacks.build("lang", "set", lang.code),
        )
        for lang in LANGUAGES.values()
    ]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    text = paragraphs(t, t.gettext("🌐 <b>Choose your language</b>"))
    return Screen(text, (*rows, (menu_button(t),)))


def render_changed(t: Translator, *, linked: bool) -> Screen:
    menu = render_menu(t, linked=linked)
    # TRANSLATORS: name the language of this catalog, e.g. "… auf Deutsch …".
    changed = t.gettext("✓ I will write to you in English from now on.")
    text = paragraphs(t, changed, menu.text)
    return replace(menu, text=text)


async def show_picker(update: Update, context: BotContext) -> None:
    await answer_query(update)
    await show(update, context, render_picker(context.t))


async def on_language_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.session is not None
    parsed = callbacks.parse(query.data)
    if parsed is None or parsed.action != "set" or not parsed.args:
        await show_picker(update, context)
        return
    code = parsed.args[0]
    if code not in LANGUAGES:
        await answer_query(update)
        await show(update, context, render_picker(context.t))
        return
    t = await choose_locale(context.services, context.session.user_id, code)
    context.session = replace(context.session, t=t)
    await answer_query(update)
    await show(update, context, render_changed(t, linked=context.customer_id is not None))


def register(app: App) -> None:
    app.add_handler(CommandHandler("language", show_picker, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(on_language_button, pattern=callbacks.pattern("lang")))
