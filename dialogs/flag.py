"""`/flag`: tell the contact person early that you cannot keep an appointment or a step.

What is it about -> why -> your own words (optional) -> a proposal (optional) ->
summary -> send -> receipt with reference and time. Cancel works at every step. The
conversation state and the draft are persisted, so a restart does not lose the place.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import callbacks
from bot import flags as domain
from bot.appointments import Appointment, appointment_of, upcoming
from bot.context import App, BotContext
from bot.flags import MAX_MESSAGE, MAX_PROPOSAL, REASONS, Draft, Flag
from bot.i18n import N_, Translator
from bot.plans import Step, plan_of
from bot.replies import show
from bot.screen import Button, Screen, column
from bot.text import utf16_len
from dialogs import forms
from dialogs.common import JobcenterTexts, answer_query, menu_button, not_linked_screen, paragraphs
from dialogs.forms import Handler, Handlers

AREA = "flag"
SUBJECT, REASON, MESSAGE, PROPOSAL, CONFIRM = "subject", "reason", "message", "proposal", "confirm"
DRAFT_KEY = "flag_draft"

REASON_LABELS = {
    "illness": N_("🤒 I am ill"),
    "childcare": N_("👶 Childcare"),
    "care": N_("🧓 Caring for a relative"),
    "transport": N_("🚌 Transport problem"),
    "work": N_("💼 Job interview or work"),
    "clash": N_("📆 Another appointment at the same time"),
    "other": N_("✏️ Another reason"),
}


def cancel_button(t: Translator) -> Button:
    return forms.cancel_button(t, AREA)


def skip_button(t: Translator) -> Button:
    return forms.skip_button(t, AREA)


def when(t: Translator, moment: datetime) -> str:
    return t.gettext("{date}, {time}", date=t.weekday_date(moment), time=t.time(moment))


def render_subjects(t: Translator, steps: list[Step], appointments: list[Appointment]) -> Screen:
    jc = JobcenterTexts(t)
    buttons = [
        Button(
            "📅 " + t.date(a.starts_at.astimezone(t.tz).date()) + " · " + _plain(jc(a.topic)),
            callbacks.build(AREA, "appt", a.id),
        )
        for a in appointments
    ]
    buttons += [
        Button("👣 " + _plain(jc(s.text)), callbacks.build(AREA, "step", s.id)) for s in steps
    ]
    buttons.append(Button(t.gettext("💬 Something else"), callbacks.build(AREA, "other")))
    text = paragraphs(
        t,
        t.gettext("✋ <b>Tell your contact person early</b>"),
        t.gettext(
            "What is it about? Choose an appointment, a step of your plan, or something else."
        ),
    )
    return Screen(text, (*column(*buttons), (cancel_button(t),)))


def _plain(markup: str) -> str:
    """Button labels are plain text, at most one short line."""
    text = html.unescape(markup)
    return text if len(text) <= 40 else text[:39] + "…"


def render_reasons(t: Translator) -> Screen:
    buttons = [
        Button(t.gettext(REASON_LABELS[r]), callbacks.build(AREA, "why", r)) for r in REASONS
    ]
    text = paragraphs(t, t.gettext("<b>Why can you not keep it?</b>"))
    return Screen(text, (*column(*buttons), (cancel_button(t),)))


def render_message_prompt(t: Translator, reason: str | None) -> Screen:
    parts = [
        t.gettext("✍️ <b>In your own words</b> (optional)"),
        t.gettext(
            "Write what happened, in any language, up to {count} characters. Your contact "
            "person reads it as you write it.",
            count=MAX_MESSAGE,
        ),
    ]
    if reason == "illness":
        parts.append(
            t.gettext(
                "🤒 If you are ill, you usually need a certificate of incapacity for work "
                "(Arbeitsunfähigkeitsbescheinigung) from your doctor. Please do not write your "
                "diagnosis here: it is not needed."
            )
        )
    return Screen(paragraphs(t, *parts), column(skip_button(t), cancel_button(t)))


def render_proposal_prompt(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("💡 <b>Your proposal</b> (optional)"),
        t.gettext(
            "For example a new date that suits you. Up to {count} characters.", count=MAX_PROPOSAL
        ),
    )
    return Screen(text, column(skip_button(t), cancel_button(t)))


def subject_line(
    t: Translator, draft: Draft, appointment: Appointment | None, step: Step | None
) -> str:
    jc = JobcenterTexts(t)
    if appointment is not None:
        return t.gettext(
            "Appointment: {topic}, {when}",
            topic=jc(appointment.topic),
            when=when(t, appointment.starts_at),
        )
    if step is not None:
        return t.gettext("Step of my plan: {step}", step=jc(step.text))
    return t.gettext("Something else")


def render_summary(t: Translator, draft: Draft, subject: str) -> Screen:
    lines = [
        t.gettext("<b>Please check and send</b>"),
        "\n".join(
            [
                "📌 " + subject,
                "❔ "
                + t.gettext(REASON_LABELS.get(draft.reason or "other", REASON_LABELS["other"])),
            ]
        ),
    ]
    if draft.message:
        lines.append(t.gettext("✍️ Your words:") + "\n" + t.data(draft.message))
    if draft.proposal:
        lines.append(t.gettext("💡 Your proposal: {proposal}", proposal=draft.proposal))
    buttons = column(Button(t.gettext("📨 Send"), callbacks.build(AREA, "send")), cancel_button(t))
    return Screen(paragraphs(t, *lines), buttons)


def render_receipt(t: Translator, flag: Flag) -> Screen:
    parts = [
        t.gettext("✅ <b>Received.</b> Thank you for telling us early."),
        t.gettext(
            "Reference: <b>{ref}</b>\nReceived: {when}", ref=flag.ref, when=when(t, flag.created_at)
        ),
        t.gettext(
            "Your contact person will read it. You will get the answer here, and you "
            "can always look at it with /status."
        ),
    ]
    if flag.late:
        parts.insert(
            1,
            t.gettext("Your appointment had already begun. We have still passed your message on."),
        )
    if flag.reason == "illness":
        parts.append(
            t.gettext(
                "Please remember the certificate of incapacity for work "
                "(Arbeitsunfähigkeitsbescheinigung)."
            )
        )
    buttons = column(
        Button(t.gettext("📨 My reports"), callbacks.build("stat", "show")), menu_button(t)
    )
    return Screen(paragraphs(t, *parts), buttons)


# ------------------------------------------------------------------------ handlers
def _draft(context: BotContext) -> Draft:
    return Draft.from_dict(context.user_data.get(DRAFT_KEY) if context.user_data else None)


def _save(context: BotContext, draft: Draft) -> None:
    assert context.user_data is not None
    context.user_data[DRAFT_KEY] = draft.to_dict()


def forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


async def start(update: Update, context: BotContext) -> str | int:
    """Entry: the command, the menu, "I cannot come" (appointment) or a step reminder."""
    await answer_query(update)
    if context.customer_id is None:
        await show(update, context, not_linked_screen(context.t))
        return ConversationHandler.END
    parsed = callbacks.parse(update.callback_query.data) if update.callback_query else None
    chosen = _choice(parsed) if parsed is not None and parsed.action != "new" else None
    if chosen is not None and chosen.subject != "other":
        return await _chosen(update, context, chosen)
    return await start_over(update, context)


async def on_subject(update: Update, context: BotContext) -> str | int:
    await answer_query(update)
    parsed = callbacks.parse(update.callback_query.data if update.callback_query else None)
    chosen = _choice(parsed) if parsed is not None else None
    if chosen is None:
        return SUBJECT
    return await _chosen(update, context, chosen)


def _choice(parsed: callbacks.Callback) -> Draft | None:
    """What a button chose: `appt:<id>` (also `v1:appt:no:<id>`), `step:<id>`, `other`."""
    target = parsed.int_arg()
    if (parsed.area == "appt" or parsed.action == "appt") and target is not None:
        return Draft(subject="appointment", appointment_id=target)
    if parsed.action == "step" and target is not None:
        return Draft(subject="step", step_id=target)
    if parsed.action == "other":
        return Draft(subject="other")
    return None


async def _chosen(update: Update, context: BotContext, draft: Draft) -> str | int:
    """Check the chosen appointment or step is the customer's own, then ask why."""
    services, customer = context.services, context.customer_id
    assert customer is not None
    if draft.subject == "appointment":
        found = await appointment_of(services.db, customer, draft.appointment_id or 0)
        if found is None or found.cancelled:
            return await start_over(update, context)
    if draft.subject == "step":
        plan = await plan_of(services.db, customer)
        if plan is None or all(s.id != draft.step_id for s in plan.steps):
            return await start_over(update, context)
    _save(context, draft)
    await show(update, context, render_reasons(context.t))
    return REASON


async def start_over(update: Update, context: BotContext) -> str | int:
    """The list of what a report can be about (also after a stale or forged choice)."""
    services, customer = context.services, context.customer_id
    assert customer is not None
    plan = await plan_of(services.db, customer)
    now = services.clock.now()
    # Appointments that began up to two hours ago still count: a late report is welcome.
    coming = await upcoming(services.db, customer, now - timedelta(hours=2), limit=5)
    _save(context, Draft())
    steps = list(plan.steps) if plan else []
    await show(update, context, render_subjects(context.t, steps, coming))
    return SUBJECT


async def on_reason(update: Update, context: BotContext) -> str | int:
    await answer_query(update)
    parsed = callbacks.parse(update.callback_query.data if update.callback_query else None)
    reason = parsed.args[0] if parsed and parsed.args else None
    if reason not in REASONS:
        return REASON
    draft = _draft(context)
    draft = Draft(**{**draft.to_dict(), "reason": reason})
    _save(context, draft)
    await show(update, context, render_message_prompt(context.t, reason))
    return MESSAGE


async def on_message_text(update: Update, context: BotContext) -> str | int:
    if not await _keep_typed(update, context, "message", MAX_MESSAGE):
        return MESSAGE
    await show(update, context, render_proposal_prompt(context.t))
    return PROPOSAL


async def on_message_skip(update: Update, context: BotContext) -> str | int:
    await answer_query(update)
    await show(update, context, render_proposal_prompt(context.t))
    return PROPOSAL


async def on_proposal_text(update: Update, context: BotContext) -> str | int:
    if not await _keep_typed(update, context, "proposal", MAX_PROPOSAL):
        return PROPOSAL
    return await _summary(update, context)


async def _keep_typed(update: Update, context: BotContext, field: str, limit: int) -> bool:
    """Keep what the customer typed as `field` of the draft; False (and a note) if too long."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = domain.clean_words(message.text, limit)
    if text is None:
        t = context.t
        length = utf16_len(message.text)
        screen = forms.render_too_long(t, length, limit, skip_button(t), cancel_button(t))
        await show(update, context, screen)
        return False
    _save(context, Draft(**{**_draft(context).to_dict(), field: text}))
    return True


async def on_proposal_skip(update: Update, context: BotContext) -> str | int:
    await answer_query(update)
    return await _summary(update, context)


async def _summary(update: Update, context: BotContext) -> str | int:
    draft = _draft(context)
    services, customer = context.services, context.customer_id
    assert customer is not None
    appointment = step = None
    if draft.subject == "appointment" and draft.appointment_id:
        appointment = await appointment_of(services.db, customer, draft.appointment_id)
    if draft.subject == "step":
        plan = await plan_of(services.db, customer)
        step = next((s for s in plan.steps if s.id == draft.step_id), None) if plan else None
    subject = subject_line(context.t, draft, appointment, step)
    await show(update, context, render_summary(context.t, draft, subject))
    return CONFIRM


async def on_send(update: Update, context: BotContext) -> str | int:
    await answer_query(update)
    assert context.customer_id is not None
    flag = await domain.submit_report(
        context.services, context.customer_id, _draft(context), context.t.locale
    )
    if flag is None:  # the appointment or step vanished meanwhile (an import)
        return await start_over(update, context)
    forget(context)
    await show(update, context, render_receipt(context.t, flag))
    return ConversationHandler.END


async def button_expected(update: Update, context: BotContext) -> None:
    await show(update, context, forms.render_button_expected(context.t, AREA))


async def text_or_skip_expected(update: Update, context: BotContext) -> None:
    t = context.t
    text = paragraphs(t, t.gettext("Please write a text message, or skip this step."))
    await show(update, context, Screen(text, column(skip_button(t), cancel_button(t))))


async def on_timeout(update: object, context: BotContext) -> None:
    """Nobody pressed Send for hours: make sure the customer does not think it was sent."""
    had_draft = bool(context.user_data and DRAFT_KEY in context.user_data)
    forget(context)
    if had_draft and isinstance(update, Update) and update.effective_chat is not None:
        t = context.t
        text = paragraphs(t, t.gettext("Your report was not sent. You can start again any time."))
        again = Button(t.gettext("✋ Report a problem"), callbacks.build(AREA, "new"))
        await context.bot.send_message(
            update.effective_chat.id,
            text,
            parse_mode="HTML",
            reply_markup=Screen(text, column(again)).markup(),
        )


async def outside_dialog(update: Update, context: BotContext) -> None:
    """A button of a report dialog that is no longer open (sent already, or lost in a
    restart). Only a short note: the message may be the receipt, which must stay."""
    await answer_query(
        update, context.t.gettext("This report is no longer open. Please start again.")
    )


def handlers() -> Handlers:
    """Entry points, states and fallbacks of the report dialog (see dialogs/conversations.py)."""
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    other = private & ~filters.COMMAND & ~filters.TEXT & ~filters.StatusUpdate.ALL

    def button(action: str) -> str:
        return rf"^v1:{AREA}:{action}(:|$)"

    entry_points: list[Handler] = [
        CommandHandler("flag", start, private),
        CallbackQueryHandler(start, pattern=rf"^v1:{AREA}:(new|step:\d+)$"),
        CallbackQueryHandler(start, pattern=r"^v1:appt:no:\d+$"),
    ]
    states: dict[object, list[Handler]] = {
        SUBJECT: [
            CallbackQueryHandler(on_subject, pattern=button("(appt|step|other)")),
            MessageHandler(text | other, button_expected),
        ],
        REASON: [
            CallbackQueryHandler(on_reason, pattern=button("why")),
            MessageHandler(text | other, button_expected),
        ],
        MESSAGE: [
            MessageHandler(text, on_message_text),
            CallbackQueryHandler(on_message_skip, pattern=button("skip")),
            MessageHandler(other, text_or_skip_expected),
        ],
        PROPOSAL: [
            MessageHandler(text, on_proposal_text),
            CallbackQueryHandler(on_proposal_skip, pattern=button("skip")),
            MessageHandler(other, text_or_skip_expected),
        ],
        CONFIRM: [
            CallbackQueryHandler(on_send, pattern=button("send")),
            MessageHandler(text | other, button_expected),
        ],
    }
    fallbacks: list[Handler] = [
        CallbackQueryHandler(forms.on_cancel, pattern=button("cancel")),
    ]
    return entry_points, states, fallbacks


def register(app: App) -> None:
    """The dialog itself is part of the one conversation in dialogs/conversations.py."""
    app.add_handler(CallbackQueryHandler(outside_dialog, pattern=rf"^v1:{AREA}:"))
