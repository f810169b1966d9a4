"""End to end: early reports and conciliation requests, from the customer's phone to the
caseworkers' group and back, with restarts, faults and people who should not act."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot import operators
from bot.clock import FakeClock
from bot.emulator import EmuMessage, Fault
from bot.outbox import OutboxDispatcher
from bot.text import cut_utf16
from tests.conftest import Harness, HarnessFactory


@pytest.fixture
async def linked(harness_factory: HarnessFactory) -> Harness:
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    h: Harness = await harness_factory(clock=clock)
    code = await h.link_code()
    await h.say(f"/start {code}")
    await h.emulator.next_bot_message(h.group, after=0)  # the link notice
    return h


async def press(h: Harness, message: EmuMessage, button: str) -> EmuMessage:
    """Press a button of an edited-in-place dialog and wait for the edit."""
    edits = message.edits
    await h.emulator.press(h.customer, message, button)
    return await h.emulator.wait_until(lambda: message.edits > edits and message)


async def group_posts(h: Harness, count: int) -> list[EmuMessage]:
    await h.emulator.wait_until(lambda: len(h.emulator.bot_messages(h.group)) >= count, 15)
    return h.emulator.bot_messages(h.group)


async def report_appointment(h: Harness, words: str | None = "Mein Kind ist krank.") -> EmuMessage:
    start = await h.say("/flag")
    assert "Worum geht es?" in start.text
    why = await press(h, start, "Beratungsgespräch")
    assert "Warum können Sie es nicht einhalten?" in why.text
    prompt = await press(h, why, "Kinderbetreuung")
    assert "bis zu 2.500 Zeichen" in prompt.text
    if words is None:
        proposal = await press(h, prompt, "Überspringen")
    else:
        proposal = await h.say(words)
    assert "Ihr Vorschlag" in proposal.text
    summary = await h.say("Am 4.12. vormittags")
    assert "Bitte prüfen und senden" in summary.text
    return summary


async def test_report_reaches_the_group_and_the_answer_comes_back(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h)
    assert "Kinderbetreuung" in summary.text and "Mein Kind ist krank." in summary.text
    receipt = await press(h, summary, "Senden")
    assert "Angekommen" in receipt.text and "Nummer: M-" in receipt.text
    ref = receipt.text.split("Nummer: ")[1].split()[0]

    post = (await group_posts(h, 2))[-1]
    for expected in (
        ref,
        "123A123456",
        "Max M.",
        "Frau Mustermann",
        "Beratungsgespräch",
        "Kinderbetreuung",
        "Mein Kind ist krank.",
        "Am 4.12. vormittags",
        "Deutsch (de)",
        "Noch nicht übernommen",
    ):
        assert expected in post.text, expected
    assert post.button_texts == ["🙋 Übernehmen", "✍️ Antworten", "✔️ Schließen"]

    last = h.emulator.last_bot_message(h.customer).message_id
    await h.emulator.press(h.caseworker, post, "Übernehmen")
    await h.emulator.wait_until(lambda: "Übernommen von Erika" in post.text)
    taken = await h.emulator.next_bot_message(h.customer, after=last)
    assert f"Ihre Meldung {ref} wird jetzt von Ihrem Jobcenter bearbeitet" in taken.text

    last = taken.message_id
    await h.emulator.send(
        h.caseworker, "Kein Problem, wir verschieben den Termin.", chat=h.group, reply_to=post
    )
    answer = await h.emulator.next_bot_message(h.customer, after=last)
    assert "Antwort von Ihrem Jobcenter" in answer.text
    assert "Kein Problem, wir verschieben den Termin." in answer.text
    confirmation = await h.emulator.wait_until(
        lambda: next((m for m in h.emulator.bot_messages(h.group) if "zugestellt" in m.text), None)
    )
    assert ref in confirmation.text and confirmation.reply_to == post.message_id

    status = await h.say("/status")
    assert ref in status.text and "beantwortet" in status.text
    assert "Kein Problem, wir verschieben den Termin." in status.text

    await h.emulator.press(h.caseworker, post, "Schließen")
    await h.emulator.wait_until(lambda: "Geschlossen" in post.text)
    assert post.button_texts == []
    row = await h.services.db.fetchone("SELECT state, late FROM flags")
    assert row is not None and tuple(row) == ("closed", 0)
    assert h.emulator.unanswered_callbacks() == []


async def test_cannot_come_on_an_appointment_preselects_it(linked: Harness) -> None:
    h = linked
    listing = await h.say("/appointments")
    detail = await press(h, listing, "Öffnen")
    why = await press(h, detail, "nicht kommen")
    prompt = await press(h, why, "Ich bin krank")
    assert "Arbeitsunfähigkeitsbescheinigung" in prompt.text and "Diagnose" in prompt.text
    proposal = await press(h, prompt, "Überspringen")
    summary = await press(h, proposal, "Überspringen")
    assert "Termin: Beratungsgespräch, Mittwoch, 2. Dezember 2026, 09:30" in summary.text
    receipt = await press(h, summary, "Senden")
    assert "Arbeitsunfähigkeitsbescheinigung" in receipt.text
    row = await h.services.db.fetchone("SELECT cannot_come_at FROM appointments")
    assert row is not None and row[0] is not None


async def test_cancel_at_every_step_stores_nothing(linked: Harness) -> None:
    h = linked
    start = await h.say("/flag")
    cancelled = await press(h, start, "Abbrechen")
    assert "Es wurde nichts gesendet" in cancelled.text
    summary = await report_appointment(h)
    cancelled = await press(h, summary, "Abbrechen")
    assert "Es wurde nichts gesendet" in cancelled.text
    start = await h.say("/flag")
    why = await press(h, start, "Etwas anderes")
    await h.say("/cancel")
    assert await h.services.db.fetchall("SELECT * FROM flags") == []
    del why


async def test_a_restart_mid_dialog_resumes_where_it_was(linked: Harness) -> None:
    h = linked
    start = await h.say("/flag")
    why = await press(h, start, "Beratungsgespräch")
    prompt = await press(h, why, "Problem mit dem Weg")
    assert "In Ihren eigenen Worten" in prompt.text
    await h.restart()
    proposal = await h.say("Der Bus fährt nicht.")
    assert "Ihr Vorschlag" in proposal.text  # the conversation went on after the restart
    summary = await h.say("Nächste Woche")
    assert "Der Bus fährt nicht." in summary.text and "Problem mit dem Weg" in summary.text
    receipt = await press(h, summary, "Senden")
    assert "Angekommen" in receipt.text


async def test_text_where_a_button_was_expected_and_too_long_text(linked: Harness) -> None:
    h = linked
    start = await h.say("/flag")
    nudge = await h.say("ich bin krank")
    assert "Bitte wählen Sie einen der Knöpfe" in nudge.text
    why = await press(h, start, "Etwas anderes")
    prompt = await press(h, why, "Anderer Grund")
    too_long = ("<b>x</b>\u202e" * 500)[:4000]  # 4,000 characters, HTML and bidi controls
    refused = await h.say(too_long)
    assert "4.000 Zeichen" in refused.text and "2.500" in refused.text
    emoji = await h.say("🙂" * 1300 + "\n\n" + "🙂" * 650)  # 1,952 characters, 3,902 units
    assert "3.902 Zeichen" in emoji.text
    assert await h.services.db.fetchall("SELECT * FROM flags") == []
    words = ("<b>Termin</b> & <script>\u202eevil\u202c\u2066 " * 100)[:2490]
    proposal = await h.say(words)
    assert "Ihr Vorschlag" in proposal.text
    summary = await press(h, proposal, "Überspringen")
    receipt = await press(h, summary, "Senden")
    assert "Angekommen" in receipt.text
    del prompt
    post = (await group_posts(h, 2))[-1]
    assert "<b>Termin</b> & <script>evil" in post.text  # shown as written, as text
    assert "\u202e" not in post.text and "\u2066" not in post.text
    row = await h.services.db.fetchone("SELECT message FROM flags")
    assert row is not None and "\u202e" in row[0]  # stored as the customer wrote it


async def let_time_pass(h: Harness, until: int, step: timedelta = timedelta(minutes=1)) -> None:
    """Move the clock and run the dispatcher until the group has `until` bot messages."""
    clock = h.clock
    assert isinstance(clock, FakeClock)
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    for _ in range(20):
        if len(h.emulator.bot_messages(h.group)) >= until:
            return
        clock.advance(step)
        await asyncio.sleep(0.5)  # pauses after a 429 are kept in real time
        await dispatcher.run_once()
    raise AssertionError("the group did not get its posts")


async def test_group_unreachable_then_back_delivers_once(linked: Harness) -> None:
    h = linked
    h.emulator.faults.append(Fault("network", chat_id=h.group.id, times=3))
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    assert len(h.emulator.bot_messages(h.group)) == 1  # only the earlier link notice
    await let_time_pass(h, 2)
    await h.emulator.settle(idle=0.5)
    await let_time_pass(h, 2)
    assert len(h.emulator.bot_messages(h.group)) == 2
    row = await h.services.db.fetchone(
        "SELECT state, attempts FROM outbox WHERE kind = 'flag_post'"
    )
    assert row is not None and tuple(row) == ("sent", 4)


async def test_rate_limited_group_gets_everything_in_order(linked: Harness) -> None:
    h = linked
    h.emulator.faults.append(Fault("429", chat_id=h.group.id, retry_after=1, times=2))
    for _ in range(2):
        summary = await report_appointment(h, words=None)
        await press(h, summary, "Senden")
    await let_time_pass(h, 3, step=timedelta(seconds=2))
    posts = await group_posts(h, 3)
    refs = [r[0] for r in await h.services.db.fetchall("SELECT ref FROM flags ORDER BY id")]
    assert [next(ref for ref in refs if ref in p.text) for p in posts[1:]] == refs


async def test_strangers_and_forgeries_change_nothing(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    post = (await group_posts(h, 2))[-1]
    stranger = h.emulator.add_user("Mallory")  # not a member of the group
    record = await h.emulator.press(stranger, post, "Übernehmen")
    await h.emulator.wait_until(lambda: record.answered)
    assert record.answer_text is None
    flag_id = (await h.services.db.fetchone("SELECT id FROM flags"))[0]  # type: ignore[index]
    # The customer forges a caseworker button in their own chat.
    menu = await h.say("/menu")
    forged = await h.emulator.press(h.customer, menu, data=f"v1:cw:close:{flag_id}")
    await h.emulator.wait_until(lambda: forged.answered)
    await h.emulator.settle()
    row = await h.services.db.fetchone("SELECT state FROM flags")
    assert row is not None and row[0] == "received"
    assert "Noch nicht übernommen" in post.text


async def test_open_lists_oldest_first_and_nudges_when_nobody_takes_it(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    post = (await group_posts(h, 2))[-1]
    before = h.emulator.bot_messages(h.group)[-1].message_id
    await h.emulator.send(h.caseworker, "/open", chat=h.group)
    listing = await h.emulator.next_bot_message(h.group, after=before)
    assert "Offene Meldungen" in listing.text and "123A123456" in listing.text
    clock = h.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(hours=4, minutes=1))
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    await dispatcher.run_once()
    nudge = await h.emulator.next_bot_message(h.group, after=listing.message_id)
    assert "seit 4 Stunden nicht übernommen" in nudge.text
    assert nudge.reply_to == post.message_id


async def test_conciliation_request_with_deadline_and_only_one_open(linked: Harness) -> None:
    h = linked
    page1 = await h.say("/conciliation")
    assert "Schlichtungsverfahren" in page1.text and "neutral" in page1.text
    page2 = await press(h, page1, "Weiter")
    assert "höchstens 4 Wochen" in page2.text
    prompt = await press(h, page2, "Schlichtung beantragen")
    confirm = await h.say("Wir sind uns über das Ziel nicht einig.")
    assert "spätestens am 23.12.2026" in confirm.text
    receipt = await press(h, confirm, "Antrag senden")
    assert "Ihr Antrag auf Schlichtung ist angekommen" in receipt.text
    assert "Nummer: S-" in receipt.text and "23.12.2026" in receipt.text
    post = (await group_posts(h, 2))[-1]
    assert "Schlichtungsantrag" in post.text and "Endet spätestens am 23.12.2026" in post.text
    again = await h.say("/conciliation")
    assert "schon einen offenen Antrag" in again.text
    del prompt


async def test_conciliation_switched_off_points_to_the_jobcenter(
    harness_factory: HarnessFactory,
) -> None:
    h: Harness = await harness_factory(conciliation_enabled=False)
    code = await h.link_code()
    await h.say(f"/start {code}")
    reply = await h.say("/conciliation")
    assert "wenden Sie sich bitte an Ihr Jobcenter" in reply.text


async def test_a_report_after_the_appointment_began_is_accepted_and_marked_late(
    linked: Harness,
) -> None:
    h = linked
    start = await h.say("/flag")
    why = await press(h, start, "Beratungsgespräch")
    clock = h.clock
    assert isinstance(clock, FakeClock)
    clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))  # 30 minutes after it began
    prompt = await press(h, why, "Problem mit dem Weg")
    proposal = await press(h, prompt, "Überspringen")
    summary = await press(h, proposal, "Überspringen")
    receipt = await press(h, summary, "Senden")
    assert "Ihr Termin hatte schon begonnen" in receipt.text
    post = (await group_posts(h, 2))[-1]
    assert "Kam nach Beginn des Termins" in post.text


async def test_moved_group_is_reported_at_start_and_followed(
    linked: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = linked
    new_group = h.emulator.migrate(h.group)
    with caplog.at_level("ERROR"):
        await h.restart()
    assert f"KOBOT_CASEWORKER_CHAT_ID={new_group.id}" in caplog.text
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    post = await h.emulator.wait_until(lambda: h.emulator.bot_messages(new_group), 15)
    assert "Meldung M-" in post[0].text
    await h.emulator.press(h.caseworker, post[0], "Übernehmen")
    await h.emulator.wait_until(lambda: "Übernommen von Erika" in post[0].text)


async def test_unreachable_group_is_reported_at_start(
    harness_factory: HarnessFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("ERROR"):
        await harness_factory(caseworker_chat_id=-100999)
    assert "cannot post in the caseworker chat -100999" in caplog.text
    assert "flags wait in the database" in caplog.text


async def test_operators_list_flags(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    await group_posts(h, 2)
    for _ in range(50):  # the post is recorded as sent right after Telegram's answer
        report = await operators.flags_report(
            h.services.db, h.config.timezone, h.clock.now(), include_closed=False, as_json=True
        )
        if '"sent"' in report:
            break
        await asyncio.sleep(0.1)
    [item] = json.loads(report)
    assert item["customer_number"] == "123A123456" and item["reason"] == "childcare"
    assert item["state"] == "received" and item["posted"] == "sent"
    assert "Mein" not in report  # no customer words in operator listings


async def test_group_is_reminded_a_week_before_a_conciliation_ends(linked: Harness) -> None:
    h = linked
    page1 = await h.say("/conciliation")
    page2 = await press(h, page1, "Weiter")
    prompt = await press(h, page2, "Schlichtung beantragen")
    confirm = await press(h, prompt, "Überspringen")
    await press(h, confirm, "Antrag senden")
    post = (await group_posts(h, 2))[-1]
    clock = h.clock
    assert isinstance(clock, FakeClock)
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    clock.set(datetime(2026, 12, 16, 7, 59, tzinfo=UTC))  # 08:59 in Berlin, the day before
    await dispatcher.run_once()
    assert not any("noch eine Woche" in m.text for m in h.emulator.bot_messages(h.group))
    clock.set(datetime(2026, 12, 16, 8, 0, tzinfo=UTC))  # 23.12. minus 7 days, 09:00 Berlin
    await dispatcher.run_once()
    warning = await h.emulator.wait_until(
        lambda: next(
            (m for m in h.emulator.bot_messages(h.group) if "noch eine Woche" in m.text), None
        )
    )
    assert "23.12.2026" in warning.text and warning.reply_to == post.message_id


async def test_the_longest_report_is_still_one_post_caseworkers_can_act_on(
    linked: Harness,
) -> None:
    h = linked
    start = await h.say("/flag")
    why = await press(h, start, "Beratungsgespräch")
    await press(h, why, "Anderer Grund")
    words = cut_utf16("Ich kann nicht kommen, weil 🚌 nicht fährt.\n\n" * 60, 2500).strip()
    await h.say(words)
    summary = await h.say("x" * 300)
    await press(h, summary, "Senden")
    post = (await group_posts(h, 2))[-1]
    assert len(h.emulator.bot_messages(h.group)) == 2  # the link notice and one post
    assert post.button_texts == ["🙋 Übernehmen", "✍️ Antworten", "✔️ Schließen"]
    await h.emulator.press(h.caseworker, post, "Übernehmen")
    await h.emulator.wait_until(lambda: "Übernommen von Erika" in post.text)


async def test_a_reply_to_the_nudge_is_an_answer_too(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    await group_posts(h, 2)
    clock = h.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(hours=4, minutes=1))
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    await dispatcher.run_once()
    nudge = (await group_posts(h, 3))[-1]
    assert "nicht übernommen" in nudge.text
    last = h.emulator.last_bot_message(h.customer).message_id
    await h.emulator.send(h.caseworker, "Wir melden uns morgen.", chat=h.group, reply_to=nudge)
    answer = await h.emulator.next_bot_message(h.customer, after=last)
    assert "Wir melden uns morgen." in answer.text
    # A reply to a bot message that belongs to no report is not silently dropped.
    notice = h.emulator.bot_messages(h.group)[0]  # the link notice
    before = h.emulator.last_bot_message(h.group).message_id
    await h.emulator.send(h.caseworker, "Danke!", chat=h.group, reply_to=notice)
    hint = await h.emulator.next_bot_message(h.group, after=before)
    assert "Nicht zugestellt" in hint.text


async def test_a_press_answered_too_late_still_sends_the_report(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h, words=None)
    h.emulator.faults.append(
        Fault(
            "400",
            method="answerCallbackQuery",
            description="Bad Request: query is too old and response timeout expired",
        )
    )
    receipt = await press(h, summary, "Senden")
    assert "Angekommen" in receipt.text
    assert len(await h.services.db.fetchall("SELECT id FROM flags")) == 1


async def test_a_double_tap_on_send_keeps_the_receipt(linked: Harness) -> None:
    h = linked
    summary = await report_appointment(h, words=None)
    receipt = await press(h, summary, "Senden")
    again = await h.emulator.press(h.customer, receipt, data="v1:flag:send")
    await h.emulator.wait_until(lambda: again.answered)
    await h.emulator.settle()
    assert "Angekommen" in receipt.text  # not replaced by "no longer open"
    assert again.answer_text is not None and "nicht mehr offen" in again.answer_text
    assert len(await h.services.db.fetchall("SELECT id FROM flags")) == 1


async def test_starting_conciliation_ends_an_open_report(linked: Harness) -> None:
    h = linked
    start = await h.say("/flag")
    why = await press(h, start, "Etwas anderes")
    await press(h, why, "Anderer Grund")  # the report now waits for words
    page1 = await h.say("/conciliation")
    page2 = await press(h, page1, "Weiter")
    await press(h, page2, "Schlichtung beantragen")
    confirm = await h.say("Wir sind uns über das Ziel nicht einig.")
    assert "Bitte prüfen und senden" in confirm.text and "Schlichtung" in confirm.text


async def test_typed_questions_work_while_conciliation_pages_are_open(linked: Harness) -> None:
    h = linked
    await h.say("/conciliation")
    answer = await h.say("wann ist mein nächster termin")
    assert "Beratungsgespräch" in answer.text  # answered, not "please choose a button"


async def test_the_nudge_interval_is_configurable(harness_factory: HarnessFactory) -> None:
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    h: Harness = await harness_factory(clock=clock, take_reminder=timedelta(minutes=30))
    await h.say(f"/start {await h.link_code()}")
    await h.emulator.next_bot_message(h.group, after=0)
    summary = await report_appointment(h, words=None)
    await press(h, summary, "Senden")
    await group_posts(h, 2)
    clock.advance(timedelta(minutes=31))
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    await dispatcher.run_once()
    nudge = (await group_posts(h, 3))[-1]
    assert "seit 31 Minuten nicht übernommen" in nudge.text
