"""`/start`: welcome, deep links, and linking an account with a one-time code."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.context import App, BotContext
from bot.i18n import Translator
from bot.linking import RedeemOutcome, looks_like_code, redeem_code
from bot.reminders import ReminderPolicy
from bot.replies import reply
from bot.screen import Screen
from bot.sessions import load_session
from dialogs import explain
from dialogs.common import paragraphs
from dialogs.help import render_how_to_link
from dialogs.menu import render_menu


def render_welcome(t: Translator, *, linked: bool) -> Screen:
    menu = render_menu(t, linked=linked)
    if linked:
        return replace(menu, text=paragraphs(t, t.gettext("👋 <b>Welcome back!</b>"), menu.text))
    text = paragraphs(
        t,
        t.gettext("👋 <b>Hello!</b> I am the Telegram assistant of your Jobcenter."),
        t.gettext(
            "Once your account is connected, I show you your own Kooperationsplan, your "
            "appointments and your contact person, remind you of appointments, and pass on "
            "your messages to your contact person."
        ),
        t.gettext("To connect, you need a personal code from your Jobcenter."),
    )
    return Screen(text, menu.rows)


def render_link_result(t: Translator, outcome: RedeemOutcome) -> Screen:
    if outcome is RedeemOutcome.LINKED:
        menu = render_menu(t, linked=True)
        text = paragraphs(
            t,
            t.gettext("✅ <b>Your account is connected.</b>"),
            t.gettext("From now on you can see your plan and your contact person here."),
            menu.text,
        )
        return replace(menu, text=text)
    messages = {
        RedeemOutcome.INVALID: t.gettext(
            "This code is not valid. Please check it, or ask your Jobcenter for a new code."
        ),
        RedeemOutcome.USED: t.gettext(
            "This code has already been used. Each code works only once. If you did not use "
            "it yourself, please tell your Jobcenter."
        ),
        RedeemOutcome.EXPIRED: t.gettext(
            "This code has expired. Please ask your contact person for a new one."
        ),
        RedeemOutcome.THROTTLED: t.gettext(
            "Too many wrong codes. To protect your data, please wait an hour and try again."
        ),
    }
    guide = render_how_to_link(t)
    return replace(guide, text=paragraphs(t, "⚠️ " + messages[outcome], guide.text))


async def link_with_code(update: Update, context: BotContext, code: str) -> None:
    assert context.session is not None
    services = context.services
    policy = ReminderPolicy.from_config(services.config)
    result = await redeem_code(services.db, services.clock, context.session.user_id, code, policy)
    if result.outcome is RedeemOutcome.LINKED:
        services.wake_outbox()
        user = update.effective_user
        assert user is not None
        context.session = await load_session(
            services, user.id, context.session.chat_id, user.language_code
        )
    await reply(update, context, render_link_result(context.t, result.outcome))


async def start(update: Update, context: BotContext) -> None:
    payload = context.args[0] if context.args else ""
    if explain.is_deep_link(payload):  # before codes: `explain_conciliation` is code-shaped
        await explain.open_deep_link(update, context, payload)
        return
    if payload and looks_like_code(payload):
        await link_with_code(update, context, payload)
        return
    if payload:
        await reply(update, context, render_link_result(context.t, RedeemOutcome.INVALID))
        return
    await reply(update, context, render_welcome(context.t, linked=context.customer_id is not None))


def register(app: App) -> None:
    app.add_handler(CommandHandler("start", start, filters.ChatType.PRIVATE))
