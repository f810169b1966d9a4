"""The outbox dispatcher: delivered once, whatever fails in between."""

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from telegram import Bot

from bot.clock import FakeClock, to_db
from bot.emulator import EmuChat, Emulator, Fault
from bot.outbox import Kind, OutboxDispatcher, Outgoing, Skip
from bot.screen import Screen
from bot.services import Services
from bot.storage import outbox as store
from bot.storage.outbox import OutboxItem


@pytest.fixture
def group(emulator: Emulator) -> EmuChat:
    return emulator.add_group("Team", [emulator.add_user("Erika")])


def dispatcher_for(services: Services, bot: Bot, group: EmuChat) -> OutboxDispatcher:
    services.config = replace(services.config, caseworker_chat_id=group.id)

    async def render(s: Services, item: OutboxItem) -> Outgoing | Skip:
        if item.payload.get("skip"):
            return Skip("not wanted")
        return Outgoing(group.id, Screen(f"post {item.payload['n']}"))

    return OutboxDispatcher(
        services, bot, {"test": Kind(render)}, base_backoff=timedelta(seconds=10)
    )


async def queue(services: Services, n: int, **payload: object) -> None:
    async with services.db.write() as conn:
        await store.enqueue(
            conn,
            kind="test",
            audience="caseworkers",
            now=to_db(services.clock.now()),
            payload={"n": n, **payload},
        )


async def states(services: Services) -> list[str]:
    return [r[0] for r in await services.db.fetchall("SELECT state FROM outbox ORDER BY id")]


async def test_sent_once_and_recorded(
    services: Services, bot: Bot, emulator: Emulator, group: EmuChat
) -> None:
    dispatcher = dispatcher_for(services, bot, group)
    await queue(services, 1)
    await queue(services, 2, skip=True)
    assert await dispatcher.run_once() == 2
    assert await dispatcher.run_once() == 0
    assert [m.text for m in emulator.bot_messages(group)] == ["post 1"]
    assert await states(services) == ["sent", "skipped"]


async def test_crash_between_claim_and_send_delivers_once_after_restart(
    services: Services, bot: Bot, emulator: Emulator, group: EmuChat
) -> None:
    await queue(services, 1)
    async with services.db.write() as conn:  # the claim committed, then the process died
        claimed = await store.claim_due(conn, to_db(services.clock.now()), 10, caseworkers=True)
    assert len(claimed) == 1 and await states(services) == ["sending"]
    restarted = dispatcher_for(services, bot, group)
    assert await restarted.recover() == 1
    await restarted.run_once()
    await restarted.run_once()
    assert [m.text for m in emulator.bot_messages(group)] == ["post 1"]
    assert await states(services) == ["sent"]


async def test_unreachable_group_is_retried_with_backoff_and_delivered_once(
    services: Services, bot: Bot, emulator: Emulator, group: EmuChat
) -> None:
    clock = services.clock
    assert isinstance(clock, FakeClock)
    dispatcher = dispatcher_for(services, bot, group)
    emulator.faults.append(Fault("network", chat_id=group.id, times=3))
    await queue(services, 1)
    for _ in range(3):
        await dispatcher.run_once()
        assert emulator.bot_messages(group) == []
        assert await dispatcher.run_once() == 0  # not before the backoff is over
        clock.advance(timedelta(hours=1))
    await dispatcher.run_once()
    assert [m.text for m in emulator.bot_messages(group)] == ["post 1"]
    row = await services.db.fetchone("SELECT state, attempts FROM outbox")
    assert row is not None and tuple(row) == ("sent", 4)


async def test_rate_limit_postpones_without_counting_as_failure(
    services: Services, bot: Bot, emulator: Emulator, group: EmuChat
) -> None:
    clock = services.clock
    assert isinstance(clock, FakeClock)
    dispatcher = dispatcher_for(services, bot, group)
    emulator.faults.append(Fault("429", chat_id=group.id, retry_after=1))
    await queue(services, 1)
    await dispatcher.run_once()
    row = await services.db.fetchone("SELECT state, attempts, next_attempt_at FROM outbox")
    assert row is not None and row["state"] == "pending" and row["attempts"] == 0
    clock.advance(timedelta(seconds=2))
    await asyncio.sleep(1.1)  # the per-chat pause is measured in real time
    await dispatcher.run_once()
    assert [m.text for m in emulator.bot_messages(group)] == ["post 1"]


async def test_nothing_for_caseworkers_is_sent_without_a_configured_chat(
    services: Services, bot: Bot, emulator: Emulator, group: EmuChat
) -> None:
    dispatcher = dispatcher_for(services, bot, group)
    services.config = replace(services.config, caseworker_chat_id=None)
    await queue(services, 1)
    assert await dispatcher.run_once() == 0
    assert await states(services) == ["pending"]  # kept until a chat is configured


async def test_a_lost_answer_is_sent_again_at_least_once(
    services: Services, bot: Bot, emulator: Emulator, group: EmuChat
) -> None:
    """Telegram accepted the message but the answer never came back: we cannot know it
    arrived, so we send again (documented: duplicates over losses)."""
    clock = services.clock
    assert isinstance(clock, FakeClock)
    dispatcher = dispatcher_for(services, bot, group)
    emulator.faults.append(Fault("drop_after", chat_id=group.id))
    await queue(services, 1)
    await dispatcher.run_once()
    clock.advance(timedelta(minutes=5))
    await dispatcher.run_once()
    assert [m.text for m in emulator.bot_messages(group)] == ["post 1", "post 1"]
    assert await states(services) == ["sent"]
