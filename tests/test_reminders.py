"""Reminders with a controllable clock: on time, once, late but not stale, DST, quiet hours,
imports that move or cancel, reminders off, and Telegram's faults."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import Bot

from bot.clock import FakeClock, from_db, to_db
from bot.emulator import Emulator, EmuUser, Fault
from bot.importing.apply import ImportSummary, apply_import
from bot.importing.validate import parse_document
from bot.linking import issue_code, redeem_code
from bot.outbox import OutboxDispatcher
from bot.reminders import ReminderPolicy, on_import
from bot.services import Services
from bot.storage import users
from dialogs.reminders import outbox_kinds
from tests.conftest import NUMBER, document, sample_customer

CET = "+01:00"


@dataclass
class World:
    services: Services
    clock: FakeClock
    emulator: Emulator
    user: EmuUser
    dispatcher: OutboxDispatcher

    async def run(self, at: datetime | None = None) -> list[str]:
        """Move the clock, let the dispatcher work, return the texts it sent."""
        if at is not None:
            self.clock.set(at)
        before = len(self.emulator.bot_messages(self.user))
        await self.dispatcher.run_once()
        return [m.text for m in self.emulator.bot_messages(self.user)[before:]]

    async def reimport(self, *customers: dict[str, Any]) -> ImportSummary:
        policy = ReminderPolicy.from_config(self.services.config)

        async def follow_up(conn: Any, summary: ImportSummary) -> None:
            await on_import(conn, policy, self.clock.now(), summary)

        return await apply_import(
            self.services.db, self.clock, parse_document(document(*customers)), follow_up
        )

    async def rows(self, kind: str = "appointment_reminder") -> list[tuple[str, str]]:
        found = await self.services.db.fetchall(
            "SELECT due_at, state FROM outbox WHERE kind = ? ORDER BY due_at", (kind,)
        )
        return [(r[0], r[1]) for r in found]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


async def make_world(
    services: Services,
    emulator: Emulator,
    bot: Bot,
    *,
    now: str = "2026-11-25T10:00:00" + CET,
    customer: dict[str, Any] | None = None,
    **config: Any,
) -> World:
    services.config = replace(services.config, **config)
    emulator.flood = False  # reminders to one customer are not what is tested here
    clock = services.clock
    assert isinstance(clock, FakeClock)
    clock.set(utc(now))
    await apply_import(services.db, clock, parse_document(document(customer or sample_customer())))
    user = emulator.add_user("Max")
    async with services.db.write() as conn:
        await users.upsert_user(conn, user.id, user.id, "de", to_db(clock.now()))
    code = await issue_code(services.db, clock, NUMBER)
    policy = ReminderPolicy.from_config(services.config)
    await redeem_code(services.db, clock, user.id, code.code, policy)
    dispatcher = OutboxDispatcher(services, bot, outbox_kinds(), base_backoff=timedelta(minutes=1))
    return World(services, clock, emulator, user, dispatcher)


@pytest.fixture
async def world(services: Services, emulator: Emulator, bot: Bot) -> World:
    return await make_world(services, emulator, bot)


async def test_reminders_are_scheduled_at_linking_for_what_is_still_ahead(world: World) -> None:
    # Linked on 25 Nov 10:00 for 2 Dec 09:30: the 7-day reminder (25 Nov 09:30) has passed.
    assert await world.rows() == [
        (to_db(utc("2026-12-01T09:30:00" + CET)), "pending"),
        (to_db(utc("2026-12-02T07:30:00" + CET)), "pending"),
    ]


async def test_each_reminder_is_sent_on_time_and_once(world: World) -> None:
    assert await world.run(utc("2026-12-01T09:29:00" + CET)) == []
    sent = await world.run(utc("2026-12-01T09:30:00" + CET))
    assert len(sent) == 1
    text = sent[0]
    for expected in (
        "Erinnerung",
        "morgen",
        "Mittwoch, 2. Dezember 2026, 09:30",
        "Beratungsgespräch",
        "Jobcenter, Raum 2.14",
        "Frau Mustermann",
        "Lebenslauf",
        "wichtigen Grund",
        "Leistungsminderung",
    ):
        assert expected in text, expected
    buttons = world.emulator.bot_messages(world.user)[-1].button_texts
    assert len(buttons) == 3
    assert await world.run(utc("2026-12-01T09:31:00" + CET)) == []
    second = await world.run(utc("2026-12-02T07:30:30" + CET))
    assert len(second) == 1 and "heute" in second[0]
    assert await world.run() == []
    assert [state for _, state in await world.rows()] == ["sent", "sent"]


async def test_after_downtime_only_the_latest_missed_reminder_is_sent(world: World) -> None:
    sent = await world.run(utc("2026-12-02T08:00:00" + CET))  # both were due while down
    assert len(sent) == 1 and "heute" in sent[0]
    assert [state for _, state in await world.rows()] == ["skipped", "sent"]


async def test_nothing_is_sent_for_an_appointment_that_began(world: World) -> None:
    assert await world.run(utc("2026-12-02T09:31:00" + CET)) == []
    assert [state for _, state in await world.rows()] == ["skipped", "skipped"]


async def test_cancelled_by_import_sends_a_notice_and_no_reminder(world: World) -> None:
    summary = await world.reimport(sample_customer(appointments=[]))
    assert summary.appointments_cancelled == 1
    assert [state for _, state in await world.rows()] == ["cancelled", "cancelled"]
    notice = await world.run()
    assert len(notice) == 1 and "Abgesagt" in notice[0] and "Beratungsgespräch" in notice[0]
    assert await world.run(utc("2026-12-01T09:30:00" + CET)) == []


async def test_moved_by_import_gets_fresh_reminders_and_a_notice(world: World) -> None:
    moved = sample_customer()
    moved["appointments"][0]["starts_at"] = "2026-12-04T11:00:00" + CET
    await world.reimport(moved)
    notice = await world.run()
    assert len(notice) == 1
    assert "Mittwoch, 2. Dezember 2026, 09:30" in notice[0]
    assert "Freitag, 4. Dezember 2026, 11:00" in notice[0]
    week = await world.run(utc("2026-11-27T11:00:00" + CET))  # 7 days before the new time
    assert len(week) == 1 and "in 7 Tagen" in week[0]
    assert await world.run(utc("2026-12-01T09:30:00" + CET)) == []  # old 24 h slot: nothing
    sent = await world.run(utc("2026-12-03T11:00:00" + CET))
    assert len(sent) == 1 and "Freitag, 4. Dezember 2026, 11:00" in sent[0]


async def test_moved_away_and_back_is_reminded_again(world: World) -> None:
    moved = sample_customer()
    moved["appointments"][0]["starts_at"] = "2026-12-04T11:00:00" + CET
    await world.reimport(moved)
    await world.reimport(sample_customer())
    await world.run()  # the two change notices
    sent = await world.run(utc("2026-12-01T09:30:00" + CET))
    assert len(sent) == 1 and "09:30" in sent[0]


async def test_unchanged_reimport_changes_no_reminder(world: World) -> None:
    before = await world.services.db.fetchall("SELECT * FROM outbox ORDER BY id")
    summary = await world.reimport(sample_customer())
    assert not summary.changed_anything
    after = await world.services.db.fetchall("SELECT * FROM outbox ORDER BY id")
    assert [tuple(r) for r in after] == [tuple(r) for r in before]


async def test_reminders_off_means_no_reminders_but_news_still_arrive(world: World) -> None:
    async with world.services.db.write() as conn:
        await users.set_reminders(conn, world.user.id, False)
    assert await world.run(utc("2026-12-01T09:30:00" + CET)) == []
    await world.reimport(sample_customer(appointments=[]))
    assert len(await world.run()) == 1


async def test_step_reminder_three_days_before(world: World) -> None:
    assert await world.rows("step_reminder") == [
        (to_db(utc("2026-12-12T09:00:00" + CET)), "pending")
    ]
    await world.run(utc("2026-12-02T10:00:00" + CET))
    sent = await world.run(utc("2026-12-12T09:00:00" + CET))
    assert len(sent) == 1
    assert "Am Bewerbungstraining teilnehmen" in sent[0] and "15.12.2026" in sent[0]
    assert "in 3 Tagen" in sent[0]


async def test_quiet_hours_move_reminders_before_they_begin(
    services: Services, emulator: Emulator, bot: Bot
) -> None:
    early = sample_customer()
    early["appointments"][0]["starts_at"] = "2026-12-02T07:30:00" + CET
    w = await make_world(services, emulator, bot, customer=early)
    # 2 h before 07:30 is 05:30, inside 21:00-07:00: sent the evening before at 20:59.
    assert (to_db(utc("2026-12-01T20:59:00" + CET)), "pending") in await w.rows()


async def test_pushes_wait_for_the_end_of_quiet_hours(world: World) -> None:
    world.clock.set(utc("2026-11-26T02:00:00" + CET))  # an import in the night
    await world.reimport(sample_customer(appointments=[]))
    assert await world.run() == []
    assert len(await world.run(utc("2026-11-26T07:00:00" + CET))) == 1


async def test_daylight_saving_change_keeps_the_local_time(
    services: Services, emulator: Emulator, bot: Bot
) -> None:
    monday = sample_customer()
    # Summer time ends on Sunday 25 October 2026; the appointment is the Monday after.
    monday["appointments"][0]["starts_at"] = "2026-10-26T09:00:00" + CET
    w = await make_world(services, emulator, bot, now="2026-10-01T10:00:00+02:00", customer=monday)
    assert [due for due, _ in await w.rows()] == [
        to_db(utc("2026-10-19T09:00:00+02:00")),  # 7 days before: 09:00 summer time
        to_db(utc("2026-10-25T09:00:00" + CET)),  # 24 h before: 09:00 winter time
        to_db(utc("2026-10-26T07:00:00" + CET)),
    ]
    sent = await w.run(utc("2026-10-19T09:00:00+02:00"))
    assert len(sent) == 1 and "Montag, 26. Oktober 2026, 09:00" in sent[0]


async def test_blocked_customer_is_held_until_they_write_again(world: World) -> None:
    world.emulator.block(world.user)
    assert await world.run(utc("2026-12-01T09:30:00" + CET)) == []
    row = await users.user_row(world.services.db, world.user.id)
    assert row is not None and row.blocked
    assert await world.run(utc("2026-12-01T09:35:00" + CET)) == []  # not even tried
    assert len([c for c in world.emulator.calls if c[0] == "sendMessage"]) == 1
    world.emulator.block(world.user, False)
    async with world.services.db.write() as conn:  # the customer writes again
        await users.upsert_user(conn, world.user.id, world.user.id, "de", "x")
    sent = await world.run(utc("2026-12-01T10:00:00" + CET))
    assert len(sent) == 1 and "morgen" in sent[0]


async def test_rate_limit_is_honoured_then_sent(world: World) -> None:
    world.emulator.faults.append(Fault("429", retry_after=1, chat_id=world.user.id))
    assert await world.run(utc("2026-12-01T09:30:00" + CET)) == []
    row = await world.services.db.fetchone(
        """SELECT next_attempt_at FROM outbox
            WHERE state = 'pending' AND kind = 'appointment_reminder' ORDER BY due_at LIMIT 1"""
    )
    assert row is not None and from_db(row[0]) == world.clock.now() + timedelta(seconds=1)
    await asyncio.sleep(1.05)  # the per-chat pause is measured in real time
    assert len(await world.run(utc("2026-12-01T09:30:02" + CET))) == 1


async def test_network_errors_are_retried_then_marked_failed(world: World) -> None:
    world.emulator.faults.append(Fault("network", chat_id=world.user.id, times=100))
    moment = utc("2026-12-01T09:30:00" + CET)
    for _ in range(10):
        await world.run(moment)
        moment += timedelta(hours=1)
        if moment >= utc("2026-12-02T07:00:00" + CET):
            break
    rows = await world.services.db.fetchall(
        "SELECT state, attempts, last_error FROM outbox WHERE kind = 'appointment_reminder'"
    )
    first = rows[0] if rows[0]["attempts"] else rows[1]
    assert first["state"] == "failed" and first["attempts"] == 6
    assert "NetworkError" in first["last_error"]


async def test_bad_request_is_permanent(world: World) -> None:
    world.emulator.faults.append(
        Fault("400", chat_id=world.user.id, description="Bad Request: something is wrong")
    )
    await world.run(utc("2026-12-01T09:30:00" + CET))
    await world.run(utc("2026-12-01T09:40:00" + CET))
    states = await world.services.db.fetchall(
        "SELECT state FROM outbox WHERE kind = 'appointment_reminder' ORDER BY due_at"
    )
    assert [r[0] for r in states] == ["failed", "pending"]


async def test_step_reminder_is_not_sent_on_the_due_day(world: World) -> None:
    assert await world.run(utc("2026-12-15T08:00:00" + CET)) == []  # down until the day
    assert [state for _, state in await world.rows("step_reminder")] == ["skipped"]


async def test_linked_in_quiet_hours_the_reminder_comes_when_they_end(
    services: Services, emulator: Emulator, bot: Bot
) -> None:
    early = sample_customer()
    early["appointments"][0]["starts_at"] = "2026-11-26T07:30:00" + CET
    w = await make_world(services, emulator, bot, now="2026-11-25T22:00:00" + CET, customer=early)
    # 2 h before is 05:30, in quiet hours; the evening before (20:59) has passed: 07:00.
    assert await w.rows() == [(to_db(utc("2026-11-26T07:00:00" + CET)), "pending")]
