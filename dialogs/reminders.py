"""What pushed reminders and change notices say (outbox kinds for the dispatcher).

Texts are rendered when the row is sent, so they are in the customer's current
language and show the appointment as it is now; a row whose appointment moved, was
cancelled or began meanwhile is skipped rather than sent wrong.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import callbacks, legal_texts
from bot.appointments import Appointment, appointment_of
from bot.clock import from_db
from bot.i18n import Translator
from bot.outbox import Kind, Outgoing, Skip
from bot.plans import Step, plan_of
from bot.reminders import APPOINTMENT_REMINDER, CHANGE_NOTICE, STEP_REMINDER
from bot.screen import Button, Screen, column
from bot.services import Services
from bot.sessions import recipient
from bot.storage.outbox import OutboxItem
from dialogs.appointments import action_rows, appointment_lines, relative_day
from dialogs.common import JobcenterTexts, menu_button, paragraphs


def render_reminder(t: Translator, a: Appointment, now: datetime) -> Screen:
    jc = JobcenterTexts(t)
    text = paragraphs(
        t,
        t.gettext(
            "⏰ <b>Reminder: your appointment {when}</b>", when=relative_day(t, a.starts_at, now)
        ),
        "\n".join(appointment_lines(t, jc, a)),
        "🚌 " + t.gettext("Plan your way there now: when do you need to leave?"),
        "⚠️ " + legal_texts.missed_appointment(t),
        t.gettext("Cannot come? Tell us now, then we can find a solution together."),
        jc.footnote(),
    )
    return Screen(text, action_rows(t, a))


def render_step_reminder(t: Translator, step: Step, due: date, today: date) -> Screen:
    jc = JobcenterTexts(t)
    days = (due - today).days
    text = paragraphs(
        t,
        t.gettext("⏰ <b>Reminder: a step of your plan</b>"),
        f"👣 {jc(step.text)}",
        t.ngettext(
            "Planned by {date}: in {count} day.",
            "Planned by {date}: in {count} days.",
            days,
            date=due,
        ),
        t.gettext("If you cannot manage it, please tell your contact person early."),
        jc.footnote(),
    )
    buttons = column(
        Button(t.gettext("📋 My plan"), callbacks.build("plan", "show")),
        Button(t.gettext("☎️ My contact person"), callbacks.build("contact", "show")),
    )
    return Screen(text, buttons)


def render_changes(
    t: Translator,
    changes: list[dict[str, Any]],
    appointments: dict[int, Appointment],
) -> Screen:
    jc = JobcenterTexts(t)
    lines: list[str] = [t.gettext("ℹ️ <b>News from your Jobcenter</b>")]

    def when(moment: datetime) -> str:
        return t.gettext("{date}, {time}", date=t.weekday_date(moment), time=t.time(moment))

    for change in changes:
        kind = change["kind"]
        if kind == "plan":
            lines.append("📋 " + t.gettext("Your Kooperationsplan was updated."))
            continue
        a = appointments.get(change["appointment_id"])
        if a is None:
            continue
        topic = jc(a.topic)
        if kind == "added":
            lines.append(
                "📅 "
                + t.gettext("New appointment: {topic}, {when}", topic=topic, when=when(a.starts_at))
            )
        elif kind == "moved" and "old" in change:
            lines.append(
                "🔁 "
                + t.gettext(
                    "Moved: {topic}. Not on {old}, but on {new}.",
                    topic=topic,
                    old=when(from_db(change["old"])),
                    new=when(a.starts_at),
                )
            )
        elif kind == "cancelled":
            lines.append(
                "❌ "
                + t.gettext(
                    "Cancelled: {topic} on {when}. You do not need to come.",
                    topic=topic,
                    when=when(a.starts_at),
                )
            )
        else:
            lines.append(
                "✏️ "
                + t.gettext(
                    "Details changed: {topic} on {when}. Please check place and what to bring.",
                    topic=topic,
                    when=when(a.starts_at),
                )
            )
    text = paragraphs(t, lines[0], "\n".join(lines[1:]), jc.footnote())
    buttons = column(
        Button(t.gettext("📅 My appointments"), callbacks.build("appt", "list")),
        Button(t.gettext("📋 My plan"), callbacks.build("plan", "show")),
        menu_button(t),
    )
    return Screen(text, buttons)


async def _appointment_reminder(services: Services, item: OutboxItem) -> Outgoing | Skip:
    assert item.customer_id is not None and item.appointment_id is not None
    who = await recipient(services, item.customer_id)
    if who is None:
        return Skip("not linked")
    if not who.reminders_on:
        return Skip("reminders off")
    a = await appointment_of(services.db, item.customer_id, item.appointment_id)
    now = services.clock.now()
    if a is None or a.cancelled or from_db(item.payload["starts_at"]) != a.starts_at:
        return Skip("appointment changed")
    if a.starts_at <= now:
        return Skip("appointment began")
    return Outgoing(who.chat_id, render_reminder(who.t, a, now))


async def _step_reminder(services: Services, item: OutboxItem) -> Outgoing | Skip:
    assert item.customer_id is not None
    who = await recipient(services, item.customer_id)
    if who is None:
        return Skip("not linked")
    if not who.reminders_on:
        return Skip("reminders off")
    plan = await plan_of(services.db, item.customer_id)
    step = next((s for s in plan.steps if s.id == item.step_id), None) if plan else None
    if step is None or step.due is None or step.due.isoformat() != item.payload["due_on"]:
        return Skip("step changed")
    today = services.clock.now().astimezone(services.config.timezone).date()
    return Outgoing(who.chat_id, render_step_reminder(who.t, step, step.due, today))


async def _change_notice(services: Services, item: OutboxItem) -> Outgoing | Skip:
    assert item.customer_id is not None
    who = await recipient(services, item.customer_id)
    if who is None:
        return Skip("not linked")
    changes: list[dict[str, Any]] = item.payload["changes"]
    appointments = {}
    for change in changes:
        if "appointment_id" in change:
            found = await appointment_of(services.db, item.customer_id, change["appointment_id"])
            if found is not None:
                appointments[found.id] = found
    return Outgoing(who.chat_id, render_changes(who.t, changes, appointments))


def outbox_kinds() -> dict[str, Kind]:
    return {
        APPOINTMENT_REMINDER: Kind(_appointment_reminder),
        STEP_REMINDER: Kind(_step_reminder),
        CHANGE_NOTICE: Kind(_change_notice),
    }
