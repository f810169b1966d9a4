"""A customer who reads only Ukrainian, Arabic or easy German does everything in it:
link, read the plan, get a reminder, report early, request conciliation."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po

from bot.catalogs import ROOT
from bot.clock import FakeClock
from bot.emulator import EmuMessage
from bot.emulator.html_check import strip_tags
from bot.outbox import OutboxDispatcher
from tests.conftest import Harness, HarnessFactory, document, sample_customer

SCRIPT = {"uk": "[\u0400-\u04ff]", "ar": "[\u0600-\u06ff]"}


def english_sentences() -> list[str]:
    """Every English message text long enough to recognise when it leaks into a chat."""
    with (ROOT / "locales" / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    found = []
    for message in template:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        for text in ids:
            for part in re.split(r"\{[a-z_]+\}|\n", strip_tags(text or "")):
                if len(part.strip()) >= 18:
                    found.append(part.strip())
    return found


ENGLISH = english_sentences()


def assert_in_language(message: EmuMessage, code: str) -> None:
    shown = "\n".join([message.text, *message.button_texts])
    leaked = [sentence for sentence in ENGLISH if sentence in shown]
    assert leaked == [], (code, leaked)
    if code in SCRIPT:
        assert re.search(SCRIPT[code], shown), (code, shown)


async def press(h: Harness, message: EmuMessage, index: int) -> EmuMessage:
    edits, before = message.edits, h.emulator.last_bot_message(h.customer).message_id
    await h.emulator.press(h.customer, message, index)
    return await h.emulator.wait_until(  # type: ignore[no-any-return]
        lambda: (
            (message.edits > edits and message)
            or next((m for m in h.emulator.bot_messages(h.customer) if m.message_id > before), None)
        )
    )


@pytest.mark.parametrize("code", ["uk", "ar", "de-easy"])
async def test_everything_in_the_customers_language(
    harness_factory: HarnessFactory, code: str
) -> None:
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    h: Harness = await harness_factory(clock=clock, doc=document(sample_customer(locale=code)))
    seen: list[EmuMessage] = []

    async def say(text: str) -> EmuMessage:
        message: EmuMessage = await h.say(text)
        seen.append(message)
        return message

    await say(f"/start {await h.link_code()}")
    plan = await say("/plan")
    assert "Arbeit als Fachkraft für Lagerlogistik" in plan.text  # the Jobcenter's own text

    clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=UTC))  # 24 hours before the appointment
    dispatcher: OutboxDispatcher = h.app.bot_data["outbox"]
    before = h.emulator.last_bot_message(h.customer).message_id
    await dispatcher.run_once()
    reminder = await h.emulator.next_bot_message(h.customer, after=before)
    seen.append(reminder)

    why = await press(h, reminder, 1)  # "I cannot come"
    seen.append(why)
    prompt = await press(h, why, 0)  # illness
    seen.append(prompt)
    proposal = await press(h, prompt, 0)  # skip the own words
    seen.append(proposal)
    summary = await press(h, proposal, 0)  # skip the proposal
    seen.append(summary)
    receipt = await press(h, summary, 0)  # send
    seen.append(receipt)
    assert re.search(r"M-[0-9A-Z]{5}", receipt.text)

    page1 = await say("/conciliation")
    page2 = await press(h, page1, 0)
    ask = await press(h, page2, 0)
    confirm = await press(h, ask, 0)  # skip the reason
    done = await press(h, confirm, 0)
    seen += [page2, ask, confirm, done]
    assert re.search(r"S-[0-9A-Z]{5}", done.text)
    status = await say("/status")
    assert "M-" in status.text and "S-" in status.text

    for message in seen:
        assert_in_language(message, code)
    rows = await h.services.db.fetchall("SELECT kind, locale FROM flags ORDER BY id")
    assert [tuple(r) for r in rows] == [("report", code), ("conciliation", code)]
