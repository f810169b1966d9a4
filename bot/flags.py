"""Early reports ("I cannot keep this") and conciliation requests, from draft to closed.

Every state change is one transaction together with the outbox rows that tell the
caseworkers' group and the customer about it, so nothing is stored without being
delivered and nothing is announced that was not stored.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import aiosqlite
from telegram import Message

from bot.clock import date_from_db, from_db, to_db
from bot.legal import LegalFacts
from bot.services import Services
from bot.storage import appointments, audit, outbox
from bot.storage import flags as store
from bot.storage.db import Row
from bot.storage.outbox import OutboxItem
from bot.text import clean_input, utf16_len

REASONS = ("illness", "childcare", "care", "transport", "work", "clash", "other")
SUBJECTS = ("step", "appointment", "other")
# Lengths as Telegram counts them (UTF-16 units: an emoji counts two). With everything
# else a post shows, the customer's words must leave the group post within 4096.
MAX_MESSAGE = 2500
MAX_PROPOSAL = 300
REF_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out on the phone
MAX_NUDGES = 3
DEADLINE_WARNING = timedelta(days=7)

# Outbox kinds
POST = "flag_post"
POST_EDIT = "flag_post_edit"
NUDGE = "flag_nudge"
DEADLINE = "conciliation_deadline"
TAKEN = "flag_taken"
ANSWER = "flag_answer"
DELIVERED = "answer_delivered"


@dataclass(frozen=True)
class Answer:
    id: int
    text: str
    author_name: str
    created_at: datetime
    delivered: bool


@dataclass(frozen=True)
class Flag:
    id: int
    ref: str
    customer_id: int
    kind: str  # report | conciliation
    subject: str
    step_id: int | None
    appointment_id: int | None
    reason: str | None
    message: str | None
    proposal: str | None
    locale: str
    late: bool
    state: str  # received | taken | answered | closed
    created_at: datetime
    deadline_on: date | None
    taken_by_name: str | None
    taken_at: datetime | None
    closed_at: datetime | None
    group_chat_id: int | None
    group_message_id: int | None
    answers: tuple[Answer, ...] = field(default=())


def _flag(row: Row, answers: tuple[Answer, ...] = ()) -> Flag:
    return Flag(
        id=row["id"],
        ref=row["ref"],
        customer_id=row["customer_id"],
        kind=row["kind"],
        subject=row["subject"],
        step_id=row["step_id"],
        appointment_id=row["appointment_id"],
        reason=row["reason"],
        message=row["message"],
        proposal=row["proposal"],
        locale=row["locale"],
        late=bool(row["late"]),
        state=row["state"],
        created_at=from_db(row["created_at"]),
        deadline_on=date_from_db(row["deadline_on"]),
        taken_by_name=row["taken_by_name"],
        taken_at=from_db(row["taken_at"]) if row["taken_at"] else None,
        closed_at=from_db(row["closed_at"]) if row["closed_at"] else None,
        group_chat_id=row["group_chat_id"],
        group_message_id=row["group_message_id"],
        answers=answers,
    )


def _answer(row: Row) -> Answer:
    return Answer(
        row["id"],
        row["text"],
        row["author_name"],
        from_db(row["created_at"]),
        row["delivered_at"] is not None,
    )


@dataclass(frozen=True)
class Draft:
    """What the customer chose so far; kept in the persisted conversation (plain dict)."""

    subject: str | None = None
    step_id: int | None = None
    appointment_id: int | None = None
    reason: str | None = None
    message: str | None = None
    proposal: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Draft:
        known = {k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)


def new_ref(kind: str) -> str:
    prefix = "S" if kind == "conciliation" else "M"  # Schlichtung / Meldung
    return prefix + "-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(5))


def clean_words(text: str, limit: int) -> str | None:
    """The customer's words as stored (controls removed); None when too long or empty."""
    cleaned = clean_input(text)
    return cleaned if 0 < utf16_len(cleaned) <= limit else None


async def _insert(conn: aiosqlite.Connection, **values: Any) -> int:
    for _ in range(20):
        flag_id = await store.insert_flag(conn, ref=new_ref(values["kind"]), **values)
        if flag_id is not None:
            return flag_id
    raise RuntimeError("no free reference found")  # 31^5 = 28 million: practically never


async def _announce(
    conn: aiosqlite.Connection, services: Services, flag_id: int, customer_id: int, now: datetime
) -> None:
    """The post for the caseworkers, and a nudge if nobody takes it."""
    stamp = to_db(now)
    await outbox.enqueue(
        conn,
        kind=POST,
        audience="caseworkers",
        now=stamp,
        customer_id=customer_id,
        flag_id=flag_id,
        dedupe_key=f"post:{flag_id}",
    )
    every = services.config.take_reminder
    await outbox.enqueue(
        conn,
        kind=NUDGE,
        audience="caseworkers",
        now=stamp,
        due_at=to_db(now + every),
        customer_id=customer_id,
        flag_id=flag_id,
        payload={"n": 1, "every": int(every.total_seconds())},
        dedupe_key=f"nudge:{flag_id}:1",
    )


async def submit_report(
    services: Services, customer_id: int, draft: Draft, locale: str
) -> Flag | None:
    """Store an early report and queue its post; None if the draft is not this customer's."""
    now = services.clock.now()
    late = False
    async with services.db.write() as conn:
        if draft.subject == "appointment":
            starts = await _appointment_start(conn, customer_id, draft.appointment_id)
            if starts is None:
                return None
            late = starts <= now
        elif draft.subject == "step":
            if not await _step_belongs(conn, customer_id, draft.step_id):
                return None
        elif draft.subject != "other":
            return None
        if draft.reason not in REASONS:
            return None
        flag_id = await _insert(
            conn,
            customer_id=customer_id,
            kind="report",
            subject=draft.subject,
            step_id=draft.step_id if draft.subject == "step" else None,
            appointment_id=draft.appointment_id if draft.subject == "appointment" else None,
            reason=draft.reason,
            message=draft.message,
            proposal=draft.proposal,
            locale=locale,
            late=late,
            now=to_db(now),
            deadline_on=None,
        )
        if draft.subject == "appointment" and draft.appointment_id is not None:
            await appointments.set_answer(
                conn, customer_id, draft.appointment_id, to_db(now), coming=False
            )
        await _announce(conn, services, flag_id, customer_id, now)
        await audit.record(
            conn,
            to_db(now),
            "customer",
            "report_received",
            customer_id=customer_id,
            flag_id=flag_id,
            late=int(late),
        )
    services.wake_outbox()
    return await flag_of(services, flag_id)


async def request_conciliation(
    services: Services, customer_id: int, reason: str | None, locale: str
) -> tuple[Flag, bool]:
    """(the request, True) or (the open one, False): one open request at a time."""
    existing = await store.open_conciliation(services.db, customer_id)
    if existing is not None:
        return _flag(existing), False
    now = services.clock.now()
    facts = LegalFacts.from_config(services.config)
    today = now.astimezone(services.config.timezone).date()
    deadline = facts.conciliation_ends(today)
    async with services.db.write() as conn:
        again = await store.open_conciliation_in(conn, customer_id)
        if again is not None:
            return _flag(again), False
        flag_id = await _insert(
            conn,
            customer_id=customer_id,
            kind="conciliation",
            subject="plan",
            step_id=None,
            appointment_id=None,
            reason=None,
            message=reason,
            proposal=None,
            locale=locale,
            late=False,
            now=to_db(now),
            deadline_on=deadline.isoformat(),
        )
        await _announce(conn, services, flag_id, customer_id, now)
        warn = datetime.combine(deadline - DEADLINE_WARNING, time(9), services.config.timezone)
        await outbox.enqueue(
            conn,
            kind=DEADLINE,
            audience="caseworkers",
            now=to_db(now),
            due_at=to_db(warn),
            customer_id=customer_id,
            flag_id=flag_id,
            dedupe_key=f"deadline:{flag_id}",
        )
        await audit.record(
            conn,
            to_db(now),
            "customer",
            "conciliation_requested",
            customer_id=customer_id,
            flag_id=flag_id,
        )
    services.wake_outbox()
    flag = await flag_of(services, flag_id)
    assert flag is not None
    return flag, True


async def flag_of(services: Services, flag_id: int) -> Flag | None:
    row = await store.flag_row(services.db, flag_id)
    if row is None:
        return None
    answers = tuple(_answer(r) for r in await store.answers_of(services.db, [flag_id]))
    return _flag(row, answers)


async def flag_by_post(services: Services, chat_id: int, message_id: int) -> Flag | None:
    row = await store.flag_by_post(services.db, chat_id, message_id)
    return _flag(row) if row else None


async def flags_of_customer(services: Services, customer_id: int, limit: int = 10) -> list[Flag]:
    rows = await store.customer_flags(services.db, customer_id, limit)
    answers: dict[int, list[Answer]] = {}
    for row in await store.answers_of(services.db, [r["id"] for r in rows]):
        answers.setdefault(row["flag_id"], []).append(_answer(row))
    return [_flag(r, tuple(answers.get(r["id"], ()))) for r in rows]


async def open_conciliation(services: Services, customer_id: int) -> Flag | None:
    row = await store.open_conciliation(services.db, customer_id)
    return _flag(row) if row else None


async def open_items(services: Services, limit: int = 50) -> list[tuple[Flag, str]]:
    """Open flags, oldest first, with the customer number (for staff)."""
    rows = await store.open_flags(services.db, include_closed=False, limit=limit)
    return [(_flag(r), r["customer_number"]) for r in rows]


@dataclass(frozen=True)
class ActionResult:
    flag: Flag | None
    done: bool  # False: nothing changed (already taken, closed, unknown)


async def take(services: Services, flag_id: int, user_id: int, name: str) -> ActionResult:
    now = services.clock.now()
    async with services.db.write() as conn:
        row = await store.flag_for_update(conn, flag_id)
        done = row is not None and await store.take(conn, flag_id, user_id, name, to_db(now))
        if row is not None and done:
            await outbox.enqueue(
                conn,
                kind=TAKEN,
                audience="customer",
                now=to_db(now),
                customer_id=row["customer_id"],
                flag_id=flag_id,
            )
            await _staff_changed(conn, row, now, user_id, "flag_taken")
    services.wake_outbox()
    return ActionResult(await flag_of(services, flag_id), done)


async def close(services: Services, flag_id: int, user_id: int) -> ActionResult:
    now = services.clock.now()
    async with services.db.write() as conn:
        row = await store.flag_for_update(conn, flag_id)
        done = row is not None and await store.close(conn, flag_id, user_id, to_db(now))
        if row is not None and done:
            await _staff_changed(conn, row, now, user_id, "flag_closed")
    services.wake_outbox()
    return ActionResult(await flag_of(services, flag_id), done)


async def answer(
    services: Services, flag_id: int, text: str, user_id: int, name: str
) -> ActionResult:
    """A caseworker's answer: stored, then delivered to the customer by the outbox."""
    now = services.clock.now()
    async with services.db.write() as conn:
        row = await store.flag_for_update(conn, flag_id)
        if row is None or row["state"] == "closed":
            return ActionResult(_flag(row) if row else None, False)
        answer_id = await store.add_answer(conn, flag_id, text, user_id, name, to_db(now))
        await outbox.enqueue(
            conn,
            kind=ANSWER,
            audience="customer",
            now=to_db(now),
            customer_id=row["customer_id"],
            flag_id=flag_id,
            payload={"answer_id": answer_id},
            dedupe_key=f"answer:{answer_id}",
        )
        await _staff_changed(conn, row, now, user_id, "flag_answered")
    services.wake_outbox()
    return ActionResult(await flag_of(services, flag_id), True)


async def _staff_changed(
    conn: aiosqlite.Connection, row: Row, now: datetime, user_id: int, event: str
) -> None:
    """After Take, Answer or Close: update the group post (it shows the state when sent)
    and keep the audit trail."""
    stamp = to_db(now)
    await outbox.enqueue(
        conn,
        kind=POST_EDIT,
        audience="caseworkers",
        now=stamp,
        customer_id=row["customer_id"],
        flag_id=row["id"],
    )
    await audit.record(
        conn,
        stamp,
        f"caseworker:{user_id}",
        event,
        customer_id=row["customer_id"],
        flag_id=row["id"],
    )


async def _appointment_start(
    conn: aiosqlite.Connection, customer_id: int, appointment_id: int | None
) -> datetime | None:
    if appointment_id is None:
        return None
    starts = await store.appointment_start_of(conn, customer_id, appointment_id)
    return from_db(starts) if starts else None


async def _step_belongs(conn: aiosqlite.Connection, customer_id: int, step_id: int | None) -> bool:
    return step_id is not None and await store.step_is_current(conn, customer_id, step_id)


# ------------------------------------------------------- after the outbox sent something
async def post_sent(
    conn: aiosqlite.Connection, item: OutboxItem, message: Message, now: str
) -> None:
    """Remember where the group post is: Take/Close edit it, replies to it are answers."""
    if item.flag_id is not None and item.kind == POST:
        await store.set_post(conn, item.flag_id, message.chat.id, message.message_id)
    await group_message_sent(conn, item, message, now)


async def group_message_sent(
    conn: aiosqlite.Connection, item: OutboxItem, message: Message, now: str
) -> None:
    """Any message about a flag in the group: a reply to it answers the customer too."""
    if item.flag_id is not None:
        await store.add_group_message(conn, message.chat.id, message.message_id, item.flag_id)


async def answer_sent(
    conn: aiosqlite.Connection, item: OutboxItem, message: Message, now: str
) -> None:
    """The customer has the answer: record it and confirm to the caseworkers."""
    await store.answer_delivered(conn, item.payload["answer_id"], now)
    await outbox.enqueue(
        conn,
        kind=DELIVERED,
        audience="caseworkers",
        now=now,
        customer_id=item.customer_id,
        flag_id=item.flag_id,
        payload={"answer_id": item.payload["answer_id"]},
        dedupe_key=f"delivered:{item.payload['answer_id']}",
    )


async def nudge_sent(
    conn: aiosqlite.Connection, item: OutboxItem, message: Message, now: str
) -> None:
    """Still nobody took it: remind again later, a few times at most."""
    await group_message_sent(conn, item, message, now)
    number = int(item.payload.get("n", 1))
    if number >= MAX_NUDGES:
        return
    every = int(item.payload["every"])
    due = to_db(from_db(now) + timedelta(seconds=every))
    await outbox.enqueue(
        conn,
        kind=NUDGE,
        audience="caseworkers",
        now=now,
        due_at=due,
        customer_id=item.customer_id,
        flag_id=item.flag_id,
        payload={"n": number + 1, "every": every},
        dedupe_key=f"nudge:{item.flag_id}:{number + 1}",
    )
