"""The one ConversationHandler of the step-by-step dialogs: early report and conciliation.

One handler, so that starting one dialog ends the other (typed text always belongs to the
dialog the customer is in, never to one left open earlier), with one timeout and one
persisted state per customer. Every step first checks that the account is still linked.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from functools import wraps
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, TypeHandler, filters
from telegram.warnings import PTBUserWarning

from bot.context import App, BotContext
from bot.replies import show
from dialogs import conciliation, flag, forms
from dialogs.common import answer_query, not_linked_screen
from dialogs.forms import Handler

TIMEOUT = timedelta(hours=12)

Callback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]


def _forget_all(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.clear()  # it holds nothing but the open dialog's draft


def _still_linked(callback: Callback) -> Callback:
    """A step of a dialog whose account was moved to another phone meanwhile ends here."""

    @wraps(callback)
    async def guarded(update: Update, context: BotContext) -> object:
        if context.customer_id is None:
            await answer_query(update)
            _forget_all(context)
            await show(update, context, not_linked_screen(context.t))
            return ConversationHandler.END
        return await callback(update, context)

    return guarded


async def on_timeout(update: object, context: BotContext) -> None:
    await flag.on_timeout(update, context)  # tells the customer if a report was not sent
    _forget_all(context)


def conversation() -> ConversationHandler[BotContext]:
    entry_points: list[Handler] = []
    states: dict[object, list[Handler]] = {}
    fallbacks: list[Handler] = [CommandHandler("cancel", forms.on_cancel, filters.ChatType.PRIVATE)]
    for dialog in (flag, conciliation):
        entries, steps, ends = dialog.handlers()
        entry_points += entries
        fallbacks += ends
        for state, handlers in steps.items():
            if state in states:
                raise ValueError(f"two dialogs use the state name {state!r}")
            for handler in handlers:
                handler.callback = _still_linked(handler.callback)
            states[state] = handlers
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, on_timeout)]
    with warnings.catch_warnings():
        # per_message=False is deliberate: a dialog follows the customer, not a message.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            name="dialogs",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=TIMEOUT,
        )


def register(app: App) -> None:
    app.add_handler(conversation())
    flag.register(app)
    conciliation.register(app)
