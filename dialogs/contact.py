"""`/contact`: the customer's contact person at the Jobcenter and how to reach them."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.plans import Contact, contact_of
from bot.replies import show
from bot.screen import Screen, column
from dialogs.common import answer_query, linked_only, menu_button, paragraphs


def render_contact(contact: Contact | None, t: Translator) -> Screen:
    body: str
    if contact is None:
        body = t.gettext(
            "Your Jobcenter has not named a contact person here yet. Please call your "
            "Jobcenter's general number, printed on your letters."
        )
    else:
        lines = [t.gettext("Your contact person: {name}", name=contact.name)]
        if contact.phone:
            lines.append(t.gettext("Phone: {phone}", phone=contact.phone))
        body = "\n".join(lines)
    text = paragraphs(
        t,
        t.gettext("☎️ <b>My contact person</b>"),
        body,
        t.gettext(
            "If you cannot keep an appointment or an agreement, tell your contact person as "
            "early as possible."
        ),
    )
    return Screen(text, column(menu_button(t)))


@linked_only
async def show_contact(update: Update, context: BotContext) -> None:
    await answer_query(update)
    assert context.customer_id is not None
    contact = await contact_of(context.services.db, context.customer_id)
    await show(update, context, render_contact(contact, context.t))


def register(app: App) -> None:
    app.add_handler(CommandHandler("contact", show_contact, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(show_contact, pattern=callbacks.pattern("contact")))
