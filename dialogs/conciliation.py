"""`/conciliation`: what a Schlichtungsverfahren is, then the request and its receipt.

Two short pages, an optional reason, a confirmation, a receipt with the latest end date.
One open request at a time. When the operator turned conciliation off (the law changed),
the command says whom to contact instead.
"""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks, legal_texts
from bot import flags as domain
from bot.context import App, BotContext
from bot.flags import Flag
from bot.i18n import Translator
from bot.legal import LegalFacts
from bot.replies import show
from bot.screen import Button, Screen, column
from bot.text import utf16_len
from dialogs import explain_pages, forms
from dialogs.common import answer_query, menu_button, not_linked_screen, paragraphs
from dialogs.forms import Handler, Handlers

AREA = "conc"
# Each state is named after the screen the customer sees (and answers) in it.
PAGE1, PAGE2, REASON, CONFIRM = "conc_page1", "conc_page2", "conc_reason", "conc_confirm"
REASON_KEY = "conciliation_reason"
MAX_REASON = 1000


def cancel_button(t: Translator) -> Button:
    return forms.cancel_button(t, AREA)


def render_unavailable(t: Translator) -> Screen:
    text = paragraphs(
        t, t.gettext("⚖️ <b>Conciliation</b>"), legal_texts.conciliation_unavailable(t)
    )
    contact = Button(t.gettext("☎️ My contact person"), callbacks.build("contact", "show"))
    return Screen(text, column(contact, menu_button(t)))


# The two pages say what the explanation's conciliation pages say (one text, one truth).
def render_page1(t: Translator, facts: LegalFacts) -> Screen:
    text = paragraphs(t, t.gettext("⚖️ <b>Conciliation</b>"), *explain_pages.conciliation(t, facts))
    more = Button(t.gettext("Next ▶️"), callbacks.build(AREA, "more"))
    return Screen(text, column(more, cancel_button(t)))


def render_page2(t: Translator, facts: LegalFacts) -> Screen:
    text = paragraphs(t, *explain_pages.conciliation_how(t, facts))
    request = Button(t.gettext("⚖️ Request conciliation"), callbacks.build(AREA, "ask"))
    return Screen(text, column(request, cancel_button(t)))


def render_reason_prompt(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("✍️ <b>What do you disagree about?</b> (optional)"),
        t.gettext(
            "Write a few words, in any language, up to {count} characters.", count=MAX_REASON
        ),
    )
    skip = Button(t.gettext("Skip ➜"), callbacks.build(AREA, "skip"))
    return Screen(text, column(skip, cancel_button(t)))


def render_confirm(t: Translator, reason: str | None, facts: LegalFacts, today: date) -> Screen:
    parts: list[str] = [
        t.gettext("<b>Please check and send</b>"),
        t.gettext("You ask for conciliation about your Kooperationsplan."),
    ]
    if reason:
        parts.append(t.gettext("✍️ Your words:") + "\n" + t.data(reason))
    parts.append(
        t.gettext("It would end by {date} at the latest.", date=facts.conciliation_ends(today))
    )
    send = Button(t.gettext("📨 Send request"), callbacks.build(AREA, "send"))
    return Screen(paragraphs(t, *parts), column(send, cancel_button(t)))


def render_receipt(t: Translator, flag: Flag, *, new: bool) -> Screen:
    when = t.gettext(
        "{date}, {time}", date=t.weekday_date(flag.created_at), time=t.time(flag.created_at)
    )
    head = (
        t.gettext("✅ <b>Your request for conciliation was received.</b>")
        if new
        else t.gettext("ℹ️ <b>You already have an open request for conciliation.</b>")
    )
    parts = [head, t.gettext("Reference: <b>{ref}</b>\nReceived: {when}", ref=flag.ref, when=when)]
    if flag.deadline_on:
        parts.append(t.gettext("It ends by {date} at the latest.", date=flag.deadline_on))
    parts.append(t.gettext("Your Jobcenter will contact you about the next steps."))
    buttons = column(
        Button(t.gettext("📨 My reports"), callbacks.build("stat", "show")), menu_button(t)
    )
    return Screen(paragraphs(t, *parts), buttons)


def _today(context: BotContext) -> date:
    services = context.services
    return services.clock.now().astimezone(services.config.timezone).date()


async def start(update: Update, context: BotContext) -> str | int:
    await answer_query(update)
    t = context.t
    if context.customer_id is None:
        await show(update, context, not_linked_screen(t))
        return ConversationHandler.END
    if not LegalFacts.from_config(context.services.config).conciliation_available:
        await show(update, context, render_unavailable(t))
        return ConversationHandler.END
    existing = await domain.open_conciliation(context.services, context.customer_id)
    if existing is not None:
        await show(update, context, render_receipt(t, existing, new=False))
        return ConversationHandler.END
    await show(update, context, render_page1(t, LegalFacts.from_config(context.services.config)))
    return PAGE1


async def on_more(update: Update, context: BotContext) -> str:
    await answer_query(update)
    facts = LegalFacts.from_config(context.services.config)
    await show(update, context, render_page2(context.t, facts))
    return PAGE2


async def on_ask(update: Update, context: BotContext) -> str:
    await answer_query(update)
    await show(update, context, render_reason_prompt(context.t))
    return REASON


async def on_reason_text(update: Update, context: BotContext) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None and context.user_data is not None
    reason = domain.clean_words(message.text, MAX_REASON)
    if reason is None:
        t = context.t
        screen = forms.render_too_long(t, utf16_len(message.text), MAX_REASON, cancel_button(t))
        await show(update, context, screen)
        return REASON
    context.user_data[REASON_KEY] = reason
    return await _confirm(update, context)


async def on_skip(update: Update, context: BotContext) -> str:
    await answer_query(update)
    if context.user_data is not None:
        context.user_data.pop(REASON_KEY, None)
    return await _confirm(update, context)


async def _confirm(update: Update, context: BotContext) -> str:
    reason = context.user_data.get(REASON_KEY) if context.user_data else None
    facts = LegalFacts.from_config(context.services.config)
    await show(update, context, render_confirm(context.t, reason, facts, _today(context)))
    return CONFIRM


async def on_send(update: Update, context: BotContext) -> int:
    await answer_query(update)
    assert context.customer_id is not None
    reason = context.user_data.pop(REASON_KEY, None) if context.user_data else None
    flag, new = await domain.request_conciliation(
        context.services, context.customer_id, reason, context.t.locale
    )
    await show(update, context, render_receipt(context.t, flag, new=new))
    return ConversationHandler.END


async def button_expected(update: Update, context: BotContext) -> None:
    await show(update, context, forms.render_button_expected(context.t, AREA))


async def outside_dialog(update: Update, context: BotContext) -> None:
    """A button of a request dialog that is no longer open: a short note only."""
    await answer_query(
        update, context.t.gettext("This request is no longer open. Please start again.")
    )


def handlers() -> Handlers:
    """Entry points, states and fallbacks of the conciliation dialog."""
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    other = private & ~filters.COMMAND & ~filters.StatusUpdate.ALL

    def button(action: str) -> str:
        return rf"^v1:{AREA}:{action}$"

    entry_points: list[Handler] = [
        CommandHandler("conciliation", start, private),
        CallbackQueryHandler(start, pattern=button("new")),
    ]
    # On the two information pages typed text is not captured: it goes to the question
    # matcher as anywhere else, and the page's buttons keep working.
    states: dict[object, list[Handler]] = {
        PAGE1: [CallbackQueryHandler(on_more, pattern=button("more"))],
        PAGE2: [CallbackQueryHandler(on_ask, pattern=button("ask"))],
        REASON: [
            MessageHandler(text, on_reason_text),
            CallbackQueryHandler(on_skip, pattern=button("skip")),
            MessageHandler(other, button_expected),
        ],
        CONFIRM: [
            CallbackQueryHandler(on_send, pattern=button("send")),
            MessageHandler(other, button_expected),
        ],
    }
    fallbacks: list[Handler] = [
        CallbackQueryHandler(forms.on_cancel, pattern=button("cancel")),
    ]
    return entry_points, states, fallbacks


def register(app: App) -> None:
    """The dialog itself is part of the one conversation in dialogs/conversations.py."""
    app.add_handler(CallbackQueryHandler(outside_dialog, pattern=rf"^v1:{AREA}:"))
