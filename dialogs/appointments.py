"""`/appointments`: upcoming appointments, and per appointment: I will be there,
I cannot come (opens the early-report dialog, dialogs/flag.py), add to calendar (.ics)."""

from __future__ import annotations

import html
from datetime import datetime

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import appointments as domain
from bot import callbacks, legal_texts
from bot.appointments import Appointment
from bot.calendar import appointment_ics
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.localized import pick
from bot.replies import send, show
from bot.screen import Button, Document, Screen, column
from bot.text import capitalise_first
from dialogs.common import JobcenterTexts, answer_query, linked_only, menu_button, paragraphs

AREA = "appt"


def relative_day(t: Translator, starts_at: datetime, now: datetime) -> str:
    days = (starts_at.astimezone(t.tz).date() - now.astimezone(t.tz).date()).days
    if days <= 0:
        return t.gettext("today")
    if days == 1:
        return t.gettext("tomorrow")
    return t.ngettext("in {count} day", "in {count} days", days)


def appointment_lines(t: Translator, jc: JobcenterTexts, a: Appointment) -> list[str]:
    """What, when, where, with whom, what to bring: one line each."""
    when = t.gettext("{date}, {time}", date=t.weekday_date(a.starts_at), time=t.time(a.starts_at))
    # Weekdays are lower case in some languages (четвер); this line begins with one.
    lines = [f"📅 <b>{capitalise_first(when)}</b>", f"📌 {jc(a.topic)}"]
    if a.location:
        lines.append(f"📍 {jc(a.location)}")
    if a.with_name:
        lines.append("👤 " + t.gettext("With: {name}", name=a.with_name))
    if a.bring:
        lines.append("🎒 " + t.gettext("Please bring: {things}", things=jc(a.bring)))
    return lines


def action_rows(t: Translator, a: Appointment) -> tuple[tuple[Button, ...], ...]:
    yes = t.gettext("✅ I will be there") if not a.confirmed else t.gettext("✅ Confirmed")
    return column(
        Button(yes, callbacks.build(AREA, "yes", a.id)),
        Button(t.gettext("❌ I cannot come"), callbacks.build(AREA, "no", a.id)),
        Button(t.gettext("📅 Add to calendar"), callbacks.build(AREA, "ics", a.id)),
    )


def render_list(t: Translator, upcoming: list[Appointment], now: datetime) -> Screen:
    title = t.gettext("📅 <b>My appointments</b>")
    if not upcoming:
        body = t.gettext("You have no upcoming appointments with your Jobcenter.")
        return Screen(paragraphs(t, title, body), column(menu_button(t)))
    jc = JobcenterTexts(t)
    blocks = [
        "\n".join(appointment_lines(t, jc, a)) + f"\n({relative_day(t, a.starts_at, now)})"
        for a in upcoming
    ]
    buttons = [
        Button(
            t.gettext("Open: {date}", date=t.date(a.starts_at.astimezone(t.tz).date())),
            callbacks.build(AREA, "show", a.id),
        )
        for a in upcoming
    ]
    hint = t.gettext("Open an appointment to confirm it, to say you cannot come, or to save it.")
    text = paragraphs(t, title, *blocks, hint, jc.footnote())
    return Screen(text, (*column(*buttons), (menu_button(t),)))


def render_detail(t: Translator, a: Appointment, now: datetime, note: str = "") -> Screen:
    jc = JobcenterTexts(t)
    text = paragraphs(
        t,
        note,
        t.gettext("<b>Your appointment {when}</b>", when=relative_day(t, a.starts_at, now)),
        "\n".join(appointment_lines(t, jc, a)),
        legal_texts.missed_appointment(t),
        jc.footnote(),
    )
    back = Button(t.gettext("« All appointments"), callbacks.build(AREA, "list"))
    return Screen(text, (*action_rows(t, a), (back,), (menu_button(t),)))


def render_gone(t: Translator, a: Appointment | None) -> Screen:
    if a is not None and a.cancelled:
        body = t.gettext("This appointment was cancelled. You do not need to come.")
    else:
        body = t.gettext("This appointment is over or no longer in your list.")
    back = Button(t.gettext("« All appointments"), callbacks.build(AREA, "list"))
    return Screen(paragraphs(t, body), ((back,), (menu_button(t),)))


def calendar_file(t: Translator, a: Appointment, now: datetime) -> Document:
    topic = pick(a.topic, t.locale).text
    details = [topic]
    if a.with_name:
        details.append(str(t.gettext("With: {name}", name=a.with_name)))
    if a.bring:
        bring = pick(a.bring, t.locale).text
        details.append(str(t.gettext("Please bring: {things}", things=bring)))
    content = appointment_ics(
        appointment_id=a.id,
        sequence=a.sequence,
        starts_at=a.starts_at,
        tz=t.tz,
        summary=topic,
        location=pick(a.location, t.locale).text if a.location else None,
        description="\n".join(_plain(d) for d in details),
        alarm_text=topic,
        cancelled=a.cancelled,
        stamp=now,
    )
    local = a.starts_at.astimezone(t.tz)
    return Document(filename=f"appointment-{local:%Y-%m-%d}.ics", content=content)


def _plain(text: str) -> str:
    """Calendar files are plain text: undo the HTML escaping of our templates."""
    return html.unescape(text)


@linked_only
async def show_list(update: Update, context: BotContext) -> None:
    await answer_query(update)
    assert context.customer_id is not None
    now = context.services.clock.now()
    upcoming = await domain.upcoming(context.services.db, context.customer_id, now, limit=10)
    await show(update, context, render_list(context.t, upcoming, now))


@linked_only
async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.customer_id is not None
    parsed = callbacks.parse(query.data)
    appointment_id = parsed.int_arg() if parsed else None
    if parsed is None or parsed.action == "list" or appointment_id is None:
        await show_list(update, context)
        return
    services, t, customer = context.services, context.t, context.customer_id
    now = services.clock.now()
    found = await domain.appointment_of(services.db, customer, appointment_id)
    if found is None or found.cancelled or found.starts_at <= now:
        await answer_query(update)
        await show(update, context, render_gone(t, found))
        return
    if parsed.action == "yes":
        confirmed = await domain.confirm(services.db, customer, appointment_id, now)
        await answer_query(update, t.gettext("Thank you! See you there."))
        note = t.gettext("✅ Thank you! We have noted that you will come.")
        await show(update, context, render_detail(t, confirmed or found, now, note))
    elif parsed.action == "ics":
        await answer_query(update)
        caption = t.gettext("Open this file to add the appointment to your calendar.")
        chat = update.effective_chat
        assert chat is not None
        screen = Screen(caption, document=calendar_file(t, found, now))
        await send(context.bot, chat.id, screen)
    else:
        await answer_query(update)
        await show(update, context, render_detail(t, found, now))


def register(app: App) -> None:
    app.add_handler(CommandHandler("appointments", show_list, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(on_button, pattern=callbacks.pattern(AREA)))
