"""`/plan`: the customer's Kooperationsplan, laid out like the brochure's plan page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import callbacks
from bot.context import App, BotContext
from bot.i18n import Translator
from bot.plans import Plan, Step, plan_of
from bot.replies import show
from bot.screen import Button, Screen, column
from dialogs.common import JobcenterTexts, answer_query, linked_only, menu_button, paragraphs


def step_lines(t: Translator, jc: JobcenterTexts, steps: Sequence[Step], today: date) -> list[str]:
    """`1. Step text (by 15.12.2026)`, one line a step; past due dates say so."""
    lines = []
    for number, step in enumerate(steps, start=1):
        line = f"{number}. {jc(step.text)}"
        if step.due and step.due < today:
            line += " " + t.gettext("(by {date}, overdue)", date=step.due)
        elif step.due:
            line += " " + t.gettext("(by {date})", date=step.due)
        lines.append(line)
    return lines


def render_plan(plan: Plan | None, t: Translator, today: date) -> Screen:
    buttons = column(
        Button(t.gettext("☎️ My contact person"), callbacks.build("contact", "show")),
        menu_button(t),
    )
    if plan is None:
        text = paragraphs(
            t,
            t.gettext("<b>My Kooperationsplan</b>"),
            t.gettext(
                "Your Jobcenter has not entered a plan here yet. Your contact person can tell "
                "you more."
            ),
        )
        return Screen(text, buttons)

    jc = JobcenterTexts(t)
    dates = []
    if plan.agreed_on:
        dates.append(t.gettext("Agreed on {date}.", date=plan.agreed_on))
    if plan.review_on:
        dates.append(t.gettext("We look at it again together on {date}.", date=plan.review_on))

    steps = step_lines(t, jc, plan.steps, today)

    def section(title: str, body: str) -> str:
        return f"{title}\n{body}" if body else ""

    def bullets(items: tuple[dict[str, str], ...]) -> str:
        return "\n".join(f"• {jc(item)}" for item in items)

    text = paragraphs(
        t,
        t.gettext("📋 <b>My Kooperationsplan</b>"),
        " ".join(dates),
        section(t.gettext("🎯 <b>My goal</b>"), jc(plan.goal)),
        section(
            t.gettext("🚩 <b>First I want to reach</b>"),
            jc(plan.interim_goal) if plan.interim_goal else "",
        ),
        section(t.gettext("👣 <b>My next steps</b>"), "\n".join(steps)),
        section(
            t.gettext("🤝 <b>My Jobcenter supports me by</b>"), bullets(plan.jobcenter_support)
        ),
        section(t.gettext("➕ <b>Also supporting me</b>"), bullets(plan.other_support)),
        section(
            t.gettext("💬 <b>What else matters</b>"),
            jc(plan.other_notes) if plan.other_notes else "",
        ),
        jc.footnote(),
    )
    return Screen(text, buttons)


@linked_only
async def show_plan(update: Update, context: BotContext) -> None:
    await answer_query(update)
    assert context.customer_id is not None
    plan = await plan_of(context.services.db, context.customer_id)
    today = context.services.clock.now().astimezone(context.services.config.timezone).date()
    await show(update, context, render_plan(plan, context.t, today))


def register(app: App) -> None:
    app.add_handler(CommandHandler("plan", show_plan, filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(show_plan, pattern=callbacks.pattern("plan")))
