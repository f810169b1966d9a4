"""The caseworkers' group: posts for every report and request, and what staff can do.

Texts here are German (the `caseworkers` gettext domain). Take, Answer and Close work
only for members of the configured caseworker chat, acting in that chat; anything else
gets an empty answer and changes nothing. An answer is a reply to the post.
"""

from __future__ import annotations

import time
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks
from bot import flags as domain
from bot.appointments import appointment_of
from bot.config import Config
from bot.context import App, BotContext
from bot.flags import DEADLINE, DELIVERED, NUDGE, POST, POST_EDIT, Flag
from bot.i18n import LANGUAGES, N_, Html, Translator
from bot.localized import SOURCE_LOCALE
from bot.outbox import Kind, Outgoing, Skip
from bot.people import group_name
from bot.plans import contact_of, step_of
from bot.replies import send
from bot.screen import Button, Screen
from bot.services import Services
from bot.storage import customers
from bot.storage.outbox import OutboxItem
from bot.text import MAX_MESSAGE_UTF16, cut_utf16, neutralise, utf16_len, visible_len
from dialogs.common import answer_query

AREA = "cw"
MAX_ANSWER = 3500
MEMBERSHIP_TTL = 600.0  # seconds a "yes, a member" answer from Telegram is trusted

REASONS = {
    "illness": N_("Krankheit"),
    "childcare": N_("Kinderbetreuung"),
    "care": N_("Pflege von Angehörigen"),
    "transport": N_("Problem mit dem Weg"),
    "work": N_("Vorstellungsgespräch oder Arbeit"),
    "clash": N_("Anderer Termin zur selben Zeit"),
    "other": N_("Anderer Grund"),
}


async def render_post(services: Services, flag: Flag) -> Screen:
    t = services.caseworker_translator()
    row = await customers.customer_row(services.db, flag.customer_id)
    contact = await contact_of(services.db, flag.customer_id)
    title = (
        t.gettext("⚖️ <b>Schlichtungsantrag {ref}</b>", ref=flag.ref)
        if flag.kind == "conciliation"
        else t.gettext("📣 <b>Meldung {ref}</b>", ref=flag.ref)
    )
    who = row["customer_number"] if row else "?"
    name = group_name(row["name"], services.config.group_name_style) if row else ""
    lines = [title, t.gettext("Kunde: {number} {name}", number=who, name=name).rstrip()]
    if contact:
        lines.append(t.gettext("Ansprechperson: {name}", name=contact.name))
    lines.append(await _subject(services, t, flag))
    if flag.reason:
        lines.append(t.gettext("Grund: {reason}", reason=t.gettext(REASONS[flag.reason])))
    if flag.late:
        lines.append(t.gettext("⚠️ Kam nach Beginn des Termins."))
    if flag.proposal:
        lines.append(t.gettext("Vorschlag: {text}", text=neutralise(flag.proposal)))
    language = LANGUAGES.get(flag.locale)
    lines.append(
        t.gettext(
            "Eingegangen: {when} · Sprache: {language}",
            when=t.datetime(flag.created_at),
            language=f"{language.native_name} ({flag.locale})" if language else flag.locale,
        )
    )
    if flag.deadline_on:
        lines.append(t.gettext("Endet spätestens am {date}.", date=flag.deadline_on))
    head, state = "\n".join(lines), "\n\n" + _state_line(t, flag)
    if not flag.message:
        return Screen(head + state, _buttons(t, flag))
    label = t.gettext("Worte der Kundin / des Kunden:")
    words = neutralise(flag.message)
    room = MAX_MESSAGE_UTF16 - visible_len(head + state) - utf16_len(label) - 8
    if utf16_len(words) > room:  # never split a post: Take and Close edit it as one
        words = cut_utf16(words, room - 60) + "\n" + t.gettext("[gekürzt: zu lang für Telegram]")
    quote = f"\n\n{label}\n<blockquote>{t.data(words)}</blockquote>"
    return Screen(head + quote + state, _buttons(t, flag))


async def _subject(services: Services, t: Translator, flag: Flag) -> str:
    if flag.subject == "appointment" and flag.appointment_id:
        found = await appointment_of(services.db, flag.customer_id, flag.appointment_id)
        if found:
            return t.gettext(
                "Betrifft Termin: {topic}, {when}",
                topic=found.topic[SOURCE_LOCALE],
                when=t.datetime(found.starts_at),
            )
    if flag.subject == "step" and flag.step_id:
        # Also a step a later import removed from the plan: the report still cites it.
        step = await step_of(services.db, flag.customer_id, flag.step_id)
        if step:
            return t.gettext("Betrifft Schritt: {text}", text=step.text[SOURCE_LOCALE])
    if flag.subject == "plan":
        return t.gettext("Betrifft: Kooperationsplan")
    return t.gettext("Betrifft: Sonstiges")


def _state_line(t: Translator, flag: Flag) -> Html:
    if flag.state == "closed" and flag.closed_at:
        return t.gettext("✔️ Geschlossen, {when}", when=t.datetime(flag.closed_at))
    if flag.taken_by_name and flag.taken_at:
        state = t.gettext(
            "🙋 Übernommen von {name}, {time}", name=flag.taken_by_name, time=t.time(flag.taken_at)
        )
        if flag.state == "answered":
            return Html(state + " · " + t.gettext("📨 beantwortet"))
        return state
    return t.gettext("🆕 Noch nicht übernommen")


def _buttons(t: Translator, flag: Flag) -> tuple[tuple[Button, ...], ...]:
    if flag.state == "closed":
        return ()
    row = []
    if flag.state == "received":
        row.append(Button(t.gettext("🙋 Übernehmen"), callbacks.build(AREA, "take", flag.id)))
    row.append(Button(t.gettext("✍️ Antworten"), callbacks.build(AREA, "answer", flag.id)))
    row.append(Button(t.gettext("✔️ Schließen"), callbacks.build(AREA, "close", flag.id)))
    return (tuple(row),)


# ------------------------------------------------------------------ outbox kinds
def _chat(services: Services) -> int | None:
    return services.config.caseworker_chat_id


async def _post(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat, flag = _chat(services), await domain.flag_of(services, item.flag_id or 0)
    if chat is None or flag is None:
        return Skip("no caseworker chat")
    return Outgoing(chat, await render_post(services, flag))


async def _post_edit(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat, flag = _chat(services), await domain.flag_of(services, item.flag_id or 0)
    if chat is None or flag is None or flag.group_message_id is None:
        return Skip("post not sent yet: it will show the current state")
    post = await render_post(services, flag)
    return Outgoing(flag.group_chat_id or chat, post, edit_message_id=flag.group_message_id)


async def _nudge(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat, flag = _chat(services), await domain.flag_of(services, item.flag_id or 0)
    if chat is None or flag is None or flag.state != "received":
        return Skip("taken meanwhile")
    t = services.caseworker_translator()
    age = t.duration(services.clock.now() - flag.created_at)
    text = t.gettext("⏰ {ref} ist seit {age} nicht übernommen.", ref=flag.ref, age=age)
    return Outgoing(chat, Screen(text, _buttons(t, flag)), reply_to=flag.group_message_id)


async def _deadline(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat, flag = _chat(services), await domain.flag_of(services, item.flag_id or 0)
    if chat is None or flag is None or flag.state == "closed" or flag.deadline_on is None:
        return Skip("closed meanwhile")
    t = services.caseworker_translator()
    text = t.gettext(
        "⚖️ Die Schlichtung {ref} endet spätestens am {date}: noch eine Woche.",
        ref=flag.ref,
        date=flag.deadline_on,
    )
    return Outgoing(chat, Screen(text), reply_to=flag.group_message_id)


async def _delivered(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat, flag = _chat(services), await domain.flag_of(services, item.flag_id or 0)
    if chat is None or flag is None:
        return Skip("no caseworker chat")
    t = services.caseworker_translator()
    text = t.gettext("✅ Antwort zu {ref} wurde zugestellt.", ref=flag.ref)
    return Outgoing(chat, Screen(text), reply_to=flag.group_message_id)


async def _link_notice(services: Services, item: OutboxItem) -> Outgoing | Skip:
    chat = _chat(services)
    row = await customers.customer_row(services.db, item.customer_id or 0)
    if chat is None or row is None:
        return Skip("no caseworker chat")
    t = services.caseworker_translator()
    name = group_name(row["name"], services.config.group_name_style)
    lines = [
        t.gettext(
            "🔗 <b>Konto verbunden</b>: {number} {name} hat ein Telegram-Konto verbunden.",
            number=row["customer_number"],
            name=name,
        )
    ]
    if item.payload.get("moved"):
        lines.append(t.gettext("Es ersetzt das bisher verbundene Konto."))
    replaced = item.payload.get("replaced_customer")
    other = await customers.customer_row(services.db, replaced) if replaced else None
    if other is not None:
        lines.append(
            t.gettext(
                "Dieses Telegram-Konto war vorher mit {number} verbunden; diese Verbindung "
                "ist beendet (Erinnerungen und Antworten an {number} erreichen niemanden mehr).",
                number=other["customer_number"],
            )
        )
    lines.append(t.gettext("Falls das niemand erwartet hat, bitte mit der Person klären."))
    return Outgoing(chat, Screen("\n".join(lines)))


def outbox_kinds() -> dict[str, Kind]:
    return {
        POST: Kind(_post, domain.post_sent),
        POST_EDIT: Kind(_post_edit),
        NUDGE: Kind(_nudge, domain.nudge_sent),
        DEADLINE: Kind(_deadline, domain.group_message_sent),
        DELIVERED: Kind(_delivered, domain.group_message_sent),
        "link_notice": Kind(_link_notice),
    }


# ---------------------------------------------------------------------- actions
async def _is_member(context: BotContext, chat_id: int, user_id: int) -> bool:
    cache: dict[int, float] = context.application.bot_data.setdefault("caseworkers", {})
    if cache.get(user_id, 0.0) > time.monotonic():
        return True
    member = await context.bot.get_chat_member(chat_id, user_id)
    ok = member.status in ("creator", "administrator", "member") or bool(
        getattr(member, "is_member", False)
    )
    if ok:
        cache[user_id] = time.monotonic() + MEMBERSHIP_TTL
    return ok


CHATS_KEY = "caseworker_chats"


def staff_chats(bot_data: dict[Any, Any]) -> filters.Chat:
    """The caseworker chat (and its new id after Telegram upgraded the group)."""
    chats = bot_data.get(CHATS_KEY)
    assert isinstance(chats, filters.Chat)
    return chats


async def _staff(update: Update, context: BotContext) -> bool:
    """Only members of the configured caseworker chat, acting in that chat."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.id not in staff_chats(context.bot_data).chat_ids:
        return False
    return await _is_member(context, chat.id, user.id)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    if not await _staff(update, context):
        await answer_query(update)  # reveals nothing, changes nothing
        return
    t = context.services.caseworker_translator()
    parsed = callbacks.parse(query.data)
    flag_id = parsed.int_arg() if parsed else None
    user = query.from_user
    if parsed is None or flag_id is None:
        await answer_query(update)
        return
    if parsed.action == "take":
        result = await domain.take(context.services, flag_id, user.id, user.first_name)
        if result.flag is None:
            await answer_query(update)
        elif result.done:
            await answer_query(update, t.gettext("Übernommen."))
        else:
            await answer_query(
                update,
                t.gettext("Schon übernommen von {name}.", name=result.flag.taken_by_name or "?"),
                alert=True,
            )
    elif parsed.action == "close":
        result = await domain.close(context.services, flag_id, user.id)
        await answer_query(update, t.gettext("Geschlossen.") if result.done else None)
    elif parsed.action == "answer":
        await answer_query(
            update,
            t.gettext(
                "Antworten Sie direkt auf diesen Beitrag (Antworten / Reply). Ich leite "
                "die Antwort weiter, bis zu {count} Zeichen.",
                count=MAX_ANSWER,
            ),
            alert=True,
        )
    else:
        await answer_query(update)


async def on_reply(update: Update, context: BotContext) -> None:
    """A reply to a flag post in the caseworker chat is the answer to the customer."""
    message = update.effective_message
    if message is None or message.reply_to_message is None or message.text is None:
        return
    if not await _staff(update, context):
        return
    services = context.services
    replied = message.reply_to_message
    flag = await domain.flag_by_post(services, message.chat.id, replied.message_id)
    t = services.caseworker_translator()
    if flag is None:
        # A reply to a colleague is their business; a reply to one of the bot's own
        # messages that belongs to no report would otherwise vanish without a word.
        if replied.from_user is not None and replied.from_user.id == context.bot.id:
            await message.reply_text(
                t.gettext("Nicht zugestellt: bitte direkt auf den Beitrag einer Meldung antworten.")
            )
        return
    text = domain.clean_words(message.text, MAX_ANSWER)
    user = message.from_user
    assert user is not None
    if text is None:
        await message.reply_text(
            t.gettext("Die Antwort ist zu lang (höchstens {count} Zeichen).", count=MAX_ANSWER)
        )
        return
    result = await domain.answer(services, flag.id, text, user.id, user.first_name)
    if not result.done:
        await message.reply_text(
            t.gettext("{ref} ist geschlossen; die Antwort wurde nicht gesendet.", ref=flag.ref)
        )


async def on_open(update: Update, context: BotContext) -> None:
    if not await _staff(update, context):
        return
    services = context.services
    t = services.caseworker_translator()
    now = services.clock.now()
    rows = await domain.open_items(services, limit=50)
    text: str
    if not rows:
        text = t.gettext("Keine offenen Meldungen.")
    else:
        lines = [t.gettext("<b>Offene Meldungen</b> (älteste zuerst):")]
        for flag, number in rows:
            state = _state_line(t, flag)
            lines.append(
                t.gettext(
                    "{ref} · seit {age} · {number} · {state}",
                    ref=flag.ref,
                    age=t.duration(now - flag.created_at),
                    number=number,
                    state=state,
                )
            )
        text = "\n".join(lines)
    chat = update.effective_chat
    assert chat is not None
    await send(context.bot, chat.id, Screen(text))  # split when the list is long


def register(app: App, config: Config) -> None:
    group = filters.Chat(config.caseworker_chat_id)  # an empty filter when not configured
    app.bot_data[CHATS_KEY] = group
    app.add_handler(CallbackQueryHandler(on_button, pattern=callbacks.pattern(AREA)))
    app.add_handler(CommandHandler("open", on_open, group))
    app.add_handler(
        MessageHandler(group & filters.REPLY & filters.TEXT & ~filters.COMMAND, on_reply)
    )
