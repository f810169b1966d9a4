"""Answers to typed questions that are not a walkthrough page: pure render functions.

The handlers in `dialogs/questions.py` load what an answer needs and call these.
"""

from __future__ import annotations

from datetime import date

from bot import callbacks, legal_texts
from bot.appointments import Appointment
from bot.i18n import Translator
from bot.legal import LegalFacts
from bot.plans import Contact, Plan
from bot.screen import Button, Screen, column
from dialogs.common import JobcenterTexts, menu_button, paragraphs
from dialogs.explain import page_callback, render_topics, topics_button
from dialogs.explain_pages import connect_button, contact_button, flag_button, plan_button
from dialogs.plan import step_lines


def write_button(t: Translator) -> Button:
    # The flag dialog (another issue) takes the message to the caseworker.
    return Button(t.gettext("✍️ Write to my contact person"), callbacks.build("flag", "new"))


def appointments_button(t: Translator) -> Button:
    return Button(t.gettext("📅 My appointments"), callbacks.build("appt", "list"))


def _contact_line(t: Translator, contact: Contact | None) -> str:
    if contact is None:
        return ""
    if contact.phone:
        return t.gettext(
            "Your contact person: {name}, phone {phone}", name=contact.name, phone=contact.phone
        )
    return t.gettext("Your contact person: {name}", name=contact.name)


def render_greeting(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("👋 Hello! You can ask me about your Kooperationsplan."),
        t.gettext("For example: <i>What happens if I am sick?</i> Or choose a topic."),
    )
    return Screen(text, column(topics_button(t), menu_button(t)))


def render_thanks(t: Translator) -> Screen:
    text = t.gettext("😊 You are welcome. Write to me whenever you have a question.")
    return Screen(text, column(menu_button(t)))


def render_sick(t: Translator, contact: Contact | None, *, linked: bool) -> Screen:
    text = paragraphs(
        t,
        t.gettext("🤒 <b>If you are sick</b>"),
        t.gettext(
            "Get well soon! Please tell your contact person as early as possible, best before "
            "your appointment or before a step is due."
        ),
        t.gettext(
            "Usually you need a sick note from your doctor (in German: "
            "<i>Arbeitsunfähigkeitsbescheinigung</i>). Send it to your Jobcenter."
        ),
        t.gettext("Please do not write about your illness here. The sick note is enough."),
        _contact_line(t, contact),
    )
    if not linked:
        return Screen(text, column(connect_button(t), menu_button(t)))
    return Screen(text, column(flag_button(t), contact_button(t), menu_button(t)))


def render_cannot_come(
    t: Translator, contact: Contact | None, upcoming: Appointment | None, *, linked: bool
) -> Screen:
    when = ""
    if upcoming is not None:
        when = t.gettext(
            "Your next appointment: {date} at {time}",
            date=t.weekday_date(upcoming.starts_at),
            time=t.time(upcoming.starts_at),
        )
    text = paragraphs(
        t,
        t.gettext("📅 <b>If you cannot come to an appointment</b>"),
        t.gettext(
            "Tell your contact person as early as possible, before the appointment, and say "
            "why. Together you find a new date."
        ),
        legal_texts.missed_appointment(t),
        when,
        _contact_line(t, contact),
    )
    if not linked:
        return Screen(text, column(connect_button(t), menu_button(t)))
    buttons = (flag_button(t), appointments_button(t), contact_button(t), menu_button(t))
    return Screen(text, column(*buttons))


def render_change_plan(t: Translator, facts: LegalFacts, *, linked: bool) -> Screen:
    disagree = (
        t.gettext("If you cannot agree, you can ask for conciliation.")
        if facts.conciliation_available
        else legal_texts.conciliation_unavailable(t)
    )
    text = paragraphs(
        t,
        t.gettext("✏️ <b>Changing your plan</b>"),
        t.gettext(
            "Your plan can change. In your meetings you look together at what you have "
            "reached, and adapt the plan when needed."
        ),
        t.gettext("Tell your contact person what you would like to change."),
        disagree,
    )
    more = Button(t.gettext("⚖️ If you do not agree"), page_callback("conciliation"))
    first = contact_button(t) if linked else connect_button(t)
    return Screen(text, column(first, more, menu_button(t)))


def render_goal(plan: Plan | None, t: Translator) -> Screen:
    if plan is None:
        return render_no_plan(t)
    jc = JobcenterTexts(t)
    text = paragraphs(
        t,
        t.gettext("🎯 <b>My goal</b>") + "\n" + jc(plan.goal),
        t.gettext("🚩 <b>First I want to reach</b>") + "\n" + jc(plan.interim_goal)
        if plan.interim_goal
        else "",
        jc.footnote(),
    )
    return Screen(text, column(plan_button(t), menu_button(t)))


def render_steps(plan: Plan | None, t: Translator, today: date) -> Screen:
    if plan is None:
        return render_no_plan(t)
    jc = JobcenterTexts(t)
    lines = step_lines(t, jc, plan.steps, today)
    body = "\n".join(lines) or t.gettext("No next steps are entered in your plan yet.")
    text = paragraphs(t, t.gettext("👣 <b>My next steps</b>"), body, jc.footnote())
    return Screen(text, column(flag_button(t), plan_button(t), menu_button(t)))


def render_no_plan(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("<b>My Kooperationsplan</b>"),
        t.gettext(
            "Your Jobcenter has not entered a plan here yet. Your contact person can tell you more."
        ),
    )
    return Screen(text, column(contact_button(t), menu_button(t)))


def render_next_appointment(upcoming: Appointment | None, t: Translator) -> Screen:
    title = t.gettext("📅 <b>My next appointment</b>")
    if upcoming is None:
        text = paragraphs(t, title, t.gettext("You have no upcoming appointments here."))
        return Screen(text, column(contact_button(t), menu_button(t)))
    jc = JobcenterTexts(t)
    lines = [
        t.gettext(
            "{date} at {time}",
            date=t.weekday_date(upcoming.starts_at),
            time=t.time(upcoming.starts_at),
        ),
        t.gettext("Topic: {topic}", topic=jc(upcoming.topic)),
    ]
    if upcoming.location:
        lines.append(t.gettext("Place: {place}", place=jc(upcoming.location)))
    if upcoming.with_name:
        lines.append(t.gettext("With: {name}", name=upcoming.with_name))
    if upcoming.bring:
        lines.append(t.gettext("Please bring: {things}", things=jc(upcoming.bring)))
    text = paragraphs(t, title, "\n".join(lines), jc.footnote())
    return Screen(text, column(appointments_button(t), flag_button(t), menu_button(t)))


def render_talk_to_person(t: Translator, contact: Contact | None, *, linked: bool) -> Screen:
    intro = t.gettext(
        "🙋 I am a computer program. Your contact person at the Jobcenter can help you."
    )
    if not linked:
        text = paragraphs(
            t, intro, t.gettext("Please call your Jobcenter. The number is on your letters.")
        )
        return Screen(text, column(connect_button(t), menu_button(t)))
    text = paragraphs(
        t,
        intro,
        _contact_line(t, contact),
        t.gettext("You can also write to them here."),
    )
    return Screen(text, column(write_button(t), contact_button(t), menu_button(t)))


def render_privacy(t: Translator) -> Screen:
    text = paragraphs(
        t,
        t.gettext("🔒 <b>Your data</b>"),
        t.gettext(
            "Only you can see your plan and your appointments here, and only after you "
            "connected your account with your personal code."
        ),
        t.gettext("What you send to your contact person here is read by your Jobcenter team."),
        t.gettext("Please do not send health details here."),
        t.gettext("Your Jobcenter is responsible for your data. Ask them about data protection."),
    )
    return Screen(text, column(menu_button(t)))


def render_already_connected(t: Translator) -> Screen:
    text = t.gettext("✅ Your account is already connected. You can see your plan here.")
    return Screen(text, column(plan_button(t), menu_button(t)))


def render_not_understood(t: Translator, facts: LegalFacts, *, linked: bool) -> Screen:
    """The topic list with a short note, and the offer to write to the caseworker."""
    note = t.gettext("🤔 Sorry, I did not understand that. Choose a topic, or ask in other words.")
    extra = write_button(t) if linked else connect_button(t)
    return render_topics(t, facts, note=note, extra=(extra,))
