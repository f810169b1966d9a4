"""`/help`: what the bot does, the commands, and how to connect an account."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.replies import show
from bot.screen import Screen, column
from dialogs.common import answer_query, menu_button, paragraphs


def render_help(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("❔ <b>Help</b>"),
        t.gettext(
            "I am the Telegram assistant of your Jobcenter. I show you your Kooperationsplan, "
            "your appointments and your contact person, I remind you of appointments, and I "
            "explain what it all means. If you cannot keep something, you can tell your "
            "contact person here. You can also just type a question."
        ),
        "\n".join(
            [
                t.gettext("/plan: my plan"),
                t.gettext("/appointments: my appointments"),
                t.gettext("/flag: tell early that I cannot keep something"),
                t.gettext("/status: my reports and the answers"),
                t.gettext("/conciliation: ask for conciliation"),
                t.gettext("/explain: what a Kooperationsplan is"),
                t.gettext("/contact: my contact person"),
                t.gettext("/settings: reminders on or off"),
                t.gettext("/language: change the language"),
                t.gettext("/menu: all options"),
            ]
        ),
        t.gettext(
            "I cannot make decisions about your benefits. For that, please talk to your "
            "contact person."
        ),
    )
    return Screen(text, column(menu_button(t)))


def render_how_to_link(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("🔗 <b>How do I connect my account?</b>"),
        t.gettext(
            "1. Ask your contact person at the Jobcenter for your personal link code.\n"
            "2. Open the link you receive, or send me the code as a message.\n"
            "3. Then you see your own plan here. Nobody else can see it."
        ),
        t.gettext("A code works only once and only for a few days."),
    )
    return Screen(text, column(menu_button(t)))


async def show_help(update: Update, context: BotContext) -> None:
    await answer_query(update)
    parsed = callbacks.parse(update.callback_query.data) if update.callback_query else None
    wants_link_help = parsed is not None and parsed.action == "link"
    if wants_link_help or context.customer_id is None:
        await show(update, context, render_how_to_link(context.t))
    else:
        await show(update, context, render_help(context.t))


def register(app: App) -> None:
    app.add_handler(CommandHandler("help", show_help, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(show_help, pattern=callbacks.pattern("help")))
