"""End to end: /appointments, I will be there / I cannot come, .ics files, settings, and
a reminder pushed by the running bot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from bot.clock import FakeClock
from bot.outbox import OutboxDispatcher
from tests.conftest import Harness, HarnessFactory, document, sample_customer


@pytest.fixture
async def linked(harness_factory: HarnessFactory) -> Harness:
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    h: Harness = await harness_factory(clock=clock)
    code = await h.link_code()
    await h.say(f"/start {code}")
    return h


async def test_list_and_confirm(linked: Harness) -> None:
    h = linked
    listing = await h.say("/appointments")
    assert "Meine Termine" in listing.text
    assert "Mittwoch, 2. Dezember 2026, 09:30" in listing.text
    assert "Bitte mitbringen: Lebenslauf" in listing.text
    await h.emulator.press(h.customer, listing, "Öffnen")
    detail = await h.emulator.wait_until(lambda: listing.edits == 1 and listing)
    assert "Ihr Termin in 7 Tagen" in detail.text
    await h.emulator.press(h.customer, detail, "Ich komme")
    confirmed = await h.emulator.wait_until(lambda: listing.edits == 2 and listing)
    assert "Wir haben notiert, dass Sie kommen" in confirmed.text
    assert "✅ Zugesagt" in confirmed.button_texts
    row = await h.services.db.fetchone("SELECT confirmed_at, cannot_come_at FROM appointments")
    assert row is not None and row[0] is not None and row[1] is None
    await h.emulator.press(h.customer, confirmed, "nicht kommen")
    why = await h.emulator.wait_until(lambda: listing.edits == 3 and listing)
    assert "Warum können Sie es nicht einhalten?" in why.text  # the early-report dialog
    assert h.emulator.unanswered_callbacks() == []


async def test_calendar_file_is_valid_and_stable(linked: Harness) -> None:
    h = linked
    listing = await h.say("/appointments")
    await h.emulator.press(h.customer, listing, "Öffnen")
    detail = await h.emulator.wait_until(lambda: listing.edits == 1 and listing)
    before = h.emulator.bot_messages(h.customer)[-1].message_id
    await h.emulator.press(h.customer, detail, "Kalender")
    sent = await h.emulator.next_bot_message(h.customer, after=before)
    assert sent.document is not None and sent.document.filename == "appointment-2026-12-02.ics"
    event = _event(sent.document.content)
    assert str(event["uid"]) == "appointment-1@kooperationsplan-bot"
    assert event["sequence"] == 0
    start = event.decoded("dtstart")
    assert start.isoformat() == "2026-12-02T09:30:00+01:00"
    assert str(start.tzinfo) == "Europe/Berlin"
    assert "Raum 2.14" in str(event["location"])
    assert event.walk("VALARM"), "the event has an alarm"
    assert "Lebenslauf" in str(event["description"])


def _event(content: bytes) -> Calendar:
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


async def test_moved_appointment_keeps_its_calendar_uid(linked: Harness) -> None:
    h = linked
    from tests.conftest import import_doc

    moved = sample_customer()
    moved["appointments"][0]["starts_at"] = "2026-12-03T10:00:00+01:00"
    await import_doc(h.services.db, h.clock, document(moved))
    listing = await h.say("/appointments")
    await h.emulator.press(h.customer, listing, "Öffnen")
    detail = await h.emulator.wait_until(lambda: listing.edits == 1 and listing)
    before = h.emulator.bot_messages(h.customer)[-1].message_id
    await h.emulator.press(h.customer, detail, "Kalender")
    sent = await h.emulator.next_bot_message(h.customer, after=before)
    assert sent.document is not None
    event = _event(sent.document.content)
    assert str(event["uid"]) == "appointment-1@kooperationsplan-bot"
    assert event["sequence"] == 1
    assert event.decoded("dtstart").isoformat() == "2026-12-03T10:00:00+01:00"


async def test_buttons_of_someone_elses_appointment_reveal_nothing(linked: Harness) -> None:
    h = linked
    from tests.conftest import import_doc

    await import_doc(h.services.db, h.clock, document(sample_customer("999Z000001")))
    other = await h.services.db.fetchone(
        "SELECT a.id FROM appointments a JOIN customers c ON c.id = a.customer_id "
        "WHERE c.customer_number = '999Z000001'"
    )
    assert other is not None
    listing = await h.say("/appointments")
    for action in ("show", "yes", "no", "ics"):
        before = h.emulator.bot_messages(h.customer)[-1].message_id
        await h.emulator.press(h.customer, listing, data=f"v1:appt:{action}:{other[0]}")
        await h.emulator.settle()
        for message in h.emulator.bot_messages(h.customer):
            if message.message_id > before or message.edits:
                assert message.document is None
    row = await h.services.db.fetchone(
        "SELECT confirmed_at, cannot_come_at FROM appointments WHERE id = ?", (other[0],)
    )
    assert row is not None and tuple(row) == (None, None)


async def test_settings_turn_reminders_off_and_on(linked: Harness) -> None:
    h = linked
    screen = await h.say("/settings")
    assert "Erinnerungen sind <b>an</b>" in (screen.html or "")
    await h.emulator.press(h.customer, screen, "ausschalten")
    off = await h.emulator.wait_until(lambda: screen.edits == 1 and screen)
    assert "Erinnerungen sind aus" in off.text
    row = await h.services.db.fetchone(
        "SELECT reminders_on FROM tg_users WHERE user_id = ?", (h.customer.id,)
    )
    assert row is not None and row[0] == 0
    await h.emulator.press(h.customer, off, "einschalten")
    on = await h.emulator.wait_until(lambda: screen.edits == 2 and screen)
    assert "Erinnerungen sind an" in on.text


async def test_the_running_bot_pushes_a_due_reminder(linked: Harness) -> None:
    h = linked
    clock = h.clock
    assert isinstance(clock, FakeClock)
    clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=UTC))  # 24 h before 09:30 Berlin
    before = h.emulator.bot_messages(h.customer)[-1].message_id
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    await dispatcher.run_once()
    reminder = await h.emulator.next_bot_message(h.customer, after=before)
    assert "Erinnerung: Ihr Termin morgen" in reminder.text
    await h.emulator.press(h.customer, reminder, "Ich komme")
    confirmed = await h.emulator.wait_until(lambda: reminder.edits == 1 and reminder)
    assert "Wir haben notiert, dass Sie kommen" in confirmed.text


async def test_unlinked_users_get_no_appointments(harness: Harness) -> None:
    h = harness
    stranger = h.emulator.add_user("Eve", language_code="en")
    reply = await h.say("/appointments", stranger)
    assert "not connected yet" in reply.text and "Beratung" not in reply.text
