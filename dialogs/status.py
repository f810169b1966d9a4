"""`/status`: the customer's reports and requests, their state and the Jobcenter's answers;
and the pushes that tell the customer a report was taken or answered."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot import flags as domain
from bot.context import App, BotContext
from bot.flags import ANSWER, TAKEN, Answer, Flag
from bot.i18n import N_, Translator
from bot.localized import SOURCE_LOCALE
from bot.outbox import Kind, Outgoing, Skip
from bot.replies import show
from bot.screen import Button, Screen, column
from bot.services import Services
from bot.sessions import recipient
from bot.storage.outbox import OutboxItem
from dialogs.common import answer_query, linked_only, menu_button, paragraphs

STATE_LABELS = {
    "received": N_("📥 received"),
    "taken": N_("🙋 being handled"),
    "answered": N_("📨 answered"),
    "closed": N_("✔️ closed"),
}


def flag_title(t: Translator, flag: Flag) -> str:
    kind = t.gettext("Conciliation request") if flag.kind == "conciliation" else t.gettext("Report")
    when = t.date(flag.created_at.astimezone(t.tz).date())
    return t.gettext(
        "<b>{kind} {ref}</b> of {date}: {state}",
        kind=kind,
        ref=flag.ref,
        date=when,
        state=t.gettext(STATE_LABELS[flag.state]),
    )


def answer_block(t: Translator, answer: Answer) -> str:
    head = t.gettext("📨 Answer from your Jobcenter ({date}):", date=t.datetime(answer.created_at))
    return f"{head}\n{t.data(answer.text)}"


def render_status(t: Translator, flags: list[Flag]) -> Screen:
    title = t.gettext("📨 <b>My reports</b>")
    if not flags:
        body = t.gettext("You have not sent any reports or requests yet.")
        report = Button(t.gettext("✋ Report a problem"), callbacks.build("flag", "new"))
        return Screen(paragraphs(t, title, body), column(report, menu_button(t)))
    blocks = []
    for flag in flags:
        lines = [flag_title(t, flag)]
        if flag.deadline_on and flag.state != "closed":
            lines.append(t.gettext("Ends by {date} at the latest.", date=flag.deadline_on))
        lines += [answer_block(t, a) for a in flag.answers]
        blocks.append("\n".join(lines))
    note = german_answer_note(t) if any(f.answers for f in flags) else ""
    return Screen(paragraphs(t, title, *blocks, note), column(menu_button(t)))


def german_answer_note(t: Translator) -> str:
    """Caseworkers answer in German: say so to everyone else (easy-German readers too)."""
    if t.locale == SOURCE_LOCALE:
        return ""
    return t.gettext("<i>Your Jobcenter wrote this answer in German.</i>")


def render_taken(t: Translator, flag: Flag) -> Screen:
    text = paragraphs(
        t,
        t.gettext(
            "🙋 Your report <b>{ref}</b> is now being handled by your Jobcenter.", ref=flag.ref
        ),
        t.gettext("You will get the answer here."),
    )
    return Screen(text, column(Button(t.gettext("📨 My reports"), callbacks.build("stat", "show"))))


def render_answer(t: Translator, flag: Flag, answer: Answer) -> Screen:
    text = paragraphs(
        t,
        t.gettext("📨 <b>Answer from your Jobcenter</b>"),
        t.gettext("About your report {ref}:", ref=flag.ref),
        t.data(answer.text),
    )
    if note := german_answer_note(t):
        text += "\n\n" + note
    buttons = column(
        Button(t.gettext("📨 My reports"), callbacks.build("stat", "show")),
        Button(t.gettext("☎️ My contact person"), callbacks.build("contact", "show")),
    )
    return Screen(text, buttons)


@linked_only
async def show_status(update: Update, context: BotContext) -> None:
    await answer_query(update)
    assert context.customer_id is not None
    flags = await domain.flags_of_customer(context.services, context.customer_id)
    await show(update, context, render_status(context.t, flags))


async def _taken(services: Services, item: OutboxItem) -> Outgoing | Skip:
    assert item.customer_id is not None and item.flag_id is not None
    who = await recipient(services, item.customer_id)
    flag = await domain.flag_of(services, item.flag_id)
    if who is None or flag is None:
        return Skip("not linked")
    return Outgoing(who.chat_id, render_taken(who.t, flag))


async def _answer(services: Services, item: OutboxItem) -> Outgoing | Skip:
    assert item.customer_id is not None and item.flag_id is not None
    who = await recipient(services, item.customer_id)
    flag = await domain.flag_of(services, item.flag_id)
    if who is None or flag is None:
        return Skip("not linked")
    answer = next((a for a in flag.answers if a.id == item.payload["answer_id"]), None)
    if answer is None:
        return Skip("answer gone")
    return Outgoing(who.chat_id, render_answer(who.t, flag, answer))


def outbox_kinds() -> dict[str, Kind]:
    return {TAKEN: Kind(_taken), ANSWER: Kind(_answer, domain.answer_sent)}


def register(app: App) -> None:
    app.add_handler(CommandHandler("status", show_status, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(show_status, pattern=callbacks.pattern("stat")))
