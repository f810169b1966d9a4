"""Typed questions: match the text to an intent and answer it, with the customer's data
where the question is about it (goal, steps, next appointment, contact person).

Called by the fallback for text no other handler took. Logs the intent, never the text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from telegram import Update

from bot.appointments import next_appointment
from bot.context import BotContext
from bot.intents import match
from bot.legal import LegalFacts
from bot.plans import Contact, contact_of, plan_of
from bot.replies import reply
from bot.screen import Screen
from dialogs import answers
from dialogs.common import not_linked_screen
from dialogs.contact import render_contact
from dialogs.explain import find_page, render_page
from dialogs.help import render_help, render_how_to_link
from dialogs.language import render_picker
from dialogs.plan import render_plan

log = logging.getLogger(__name__)

# Questions the walkthrough answers best: the intent opens that page.
PAGE_OF = {
    "what_is_plan": "idea",
    "how_it_works": "steps",
    "plan_contents": "contents",
    "binding": "together",
    "cannot_keep": "consequences",
    "conciliation": "conciliation",
}
# About the customer's own data: only after linking.
OWN_DATA = {"show_plan", "my_goal", "my_steps", "next_appointment", "contact_phone"}


def _facts(context: BotContext) -> LegalFacts:
    return LegalFacts.from_config(context.services.config)


def _linked(context: BotContext) -> bool:
    return context.customer_id is not None


async def _contact(context: BotContext) -> Contact | None:
    if context.customer_id is None:
        return None
    return await contact_of(context.services.db, context.customer_id)


def _today(context: BotContext) -> date:
    services = context.services
    return services.clock.now().astimezone(services.config.timezone).date()


async def _own_data(intent: str, context: BotContext) -> Screen:
    assert context.customer_id is not None
    db, t, customer = context.services.db, context.t, context.customer_id
    if intent == "next_appointment":
        upcoming = await next_appointment(db, customer, context.services.clock.now())
        return answers.render_next_appointment(upcoming, t)
    if intent == "contact_phone":
        return render_contact(await contact_of(db, customer), t)
    plan = await plan_of(db, customer)
    if intent == "my_goal":
        return answers.render_goal(plan, t)
    if intent == "my_steps":
        return answers.render_steps(plan, t, _today(context))
    return render_plan(plan, t, _today(context))


async def _cannot_come(context: BotContext) -> Screen:
    upcoming = None
    if context.customer_id is not None:
        now = context.services.clock.now()
        upcoming = await next_appointment(context.services.db, context.customer_id, now)
    contact = await _contact(context)
    return answers.render_cannot_come(context.t, contact, upcoming, linked=_linked(context))


async def screen_for(intent: str, context: BotContext) -> Screen:
    """The answer to a question with this intent, for this reader."""
    t, facts, linked = context.t, _facts(context), _linked(context)
    if intent in PAGE_OF:
        page = find_page(PAGE_OF[intent], facts)
        assert page is not None
        return render_page(page, t, facts, linked=linked)
    if intent in OWN_DATA:
        return await _own_data(intent, context) if linked else not_linked_screen(t)
    if intent == "sick":
        return answers.render_sick(t, await _contact(context), linked=linked)
    if intent == "cannot_come":
        return await _cannot_come(context)
    if intent == "talk_to_person":
        return answers.render_talk_to_person(t, await _contact(context), linked=linked)
    simple: dict[str, Callable[[], Screen]] = {
        "greeting": lambda: answers.render_greeting(t),
        "thanks": lambda: answers.render_thanks(t),
        "change_plan": lambda: answers.render_change_plan(t, facts, linked=linked),
        "change_language": lambda: render_picker(t),
        "privacy": lambda: answers.render_privacy(t),
        "help": lambda: render_help(t) if linked else render_how_to_link(t),
        "connect": lambda: answers.render_already_connected(t) if linked else render_how_to_link(t),
    }
    return simple[intent]()


async def answer_question(update: Update, context: BotContext, text: str) -> bool:
    """Answer `text` if it is understood; False leaves the not-understood answer to the caller."""
    found = match(text, context.t.locale)
    if found is None:
        log.info("typed question not understood")
        return False
    log.info("typed question answered: intent=%s score=%.2f", found.intent, found.score)
    await reply(update, context, await screen_for(found.intent, context))
    return True


async def answer_not_understood(update: Update, context: BotContext) -> None:
    screen = answers.render_not_understood(context.t, _facts(context), linked=_linked(context))
    await reply(update, context, screen)
