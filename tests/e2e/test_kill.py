"""`kill -9` in the middle of sending reminders: the real `kobot run` process, twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.clock import FakeClock, to_db
from bot.config import Config
from bot.emulator import Emulator
from bot.linking import issue_code, redeem_code
from bot.outbox import CONCURRENT_CHATS
from bot.reminders import ReminderPolicy
from bot.storage import users
from bot.storage.db import Database
from tests.conftest import document, import_doc, sample_customer

CUSTOMERS = 40


async def prepare(db_path: Path, emulator: Emulator) -> list[int]:
    """Forty linked customers, each with one reminder due right now."""
    db = await Database.open(db_path)
    now = datetime.now(UTC)
    clock = FakeClock(now - timedelta(days=3))
    customers = []
    for i in range(CUSTOMERS):
        customer = sample_customer(f"123A{i:06d}")
        start = (now + timedelta(days=1, hours=1)).isoformat()
        customer["appointments"][0]["starts_at"] = start
        customers.append(customer)
    await import_doc(db, clock, document(*customers))
    policy = ReminderPolicy.from_config(Config(quiet_hours=None))
    chats = []
    for i in range(CUSTOMERS):
        user = emulator.add_user(f"Kunde {i}")
        async with db.write() as conn:
            await users.upsert_user(conn, user.id, user.id, "de", to_db(now))
        code = await issue_code(db, clock, f"123A{i:06d}")
        await redeem_code(db, clock, user.id, code.code, policy)
        chats.append(user.id)
    async with db.write() as conn:  # every 24 h reminder is due now
        await conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE kind = 'appointment_reminder'",
            (to_db(now - timedelta(seconds=1)),),
        )
        await conn.execute(
            "UPDATE outbox SET state = 'cancelled' WHERE kind = 'appointment_reminder' "
            "AND json_extract(payload, '$.offset') != 86400"
        )
    await db.close()
    return chats


async def start_bot(emulator: Emulator, db_path: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOBOT_")}
    env.update(
        KOBOT_TOKEN=emulator.token,
        KOBOT_API_URL=emulator.base_url,
        KOBOT_DB=str(db_path),
        KOBOT_QUIET_HOURS="",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def reminders_per_chat(emulator: Emulator, chats: list[int]) -> list[int]:
    return [sum("Erinnerung" in m.text for m in emulator.bot_messages(chat)) for chat in chats]


async def test_kill_9_while_sending_loses_nothing(emulator: Emulator, tmp_path: Path) -> None:
    db_path = tmp_path / "kill.sqlite3"
    chats = await prepare(db_path, emulator)
    emulator.flood = False
    emulator.latency = 0.2  # requests stay in flight long enough to be cut off
    first = await start_bot(emulator, db_path)
    await emulator.wait_until(lambda: sum(reminders_per_chat(emulator, chats)) >= 5, 60)
    os.kill(first.pid, signal.SIGKILL)  # no clean shutdown: as a power cut would do
    await first.wait()
    delivered_before = sum(reminders_per_chat(emulator, chats))
    assert delivered_before < CUSTOMERS, "the kill came too late to prove anything"

    second = await start_bot(emulator, db_path)
    try:
        await emulator.wait_until(lambda: all(reminders_per_chat(emulator, chats)), 60)
        await emulator.settle(idle=1.0, timeout=30)
    finally:
        second.kill()  # the database is durable whichever way the process ends
        await second.wait()
    counts = reminders_per_chat(emulator, chats)
    print(f"kill -9 after {delivered_before} of {CUSTOMERS}: {counts.count(2)} sent twice")
    assert min(counts) == 1  # nothing lost
    # Only a request in flight at the kill can arrive twice: at most one per chat
    # being sent at that moment.
    assert max(counts) <= 2
    assert counts.count(2) <= CONCURRENT_CHATS
    db = await Database.open(db_path)
    rows = await db.fetchall(
        "SELECT state FROM outbox WHERE kind = 'appointment_reminder' AND state != 'cancelled'"
    )
    await db.close()
    assert {r[0] for r in rows} == {"sent"}
