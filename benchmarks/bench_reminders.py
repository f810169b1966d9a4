"""Benchmark reminders: 100,000 customers, 300,000 appointments, all linked.

    python -m benchmarks.bench_reminders [CUSTOMERS] [PUSHED]

Measures the import, scheduling every reminder (what linking costs per customer), the
dispatcher's queries for due rows (with their query plans: they must use indexes), how
many reminders a second the dispatcher pushes to the local emulator with Telegram's rate
limits lifted, and peak memory.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from telegram import Bot

from benchmarks.generate import generate
from bot.clock import FakeClock, to_db
from bot.config import Config
from bot.emulator import Emulator
from bot.i18n import Catalogs
from bot.importing.apply import apply_import
from bot.importing.validate import load_json, parse_document
from bot.outbox import OutboxDispatcher
from bot.reminders import ReminderPolicy, schedule_customer
from bot.services import Services
from bot.storage.db import Database
from dialogs.reminders import outbox_kinds

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

DUE_QUERIES = {
    "skip_expired": """UPDATE outbox SET state = 'skipped' WHERE state = 'pending'
                        AND expires_at IS NOT NULL AND expires_at <= ?""",
    "skip_superseded": """UPDATE outbox SET state = 'skipped'
                         WHERE state = 'pending' AND kind = 'appointment_reminder'
                           AND next_attempt_at <= ?1
                           AND EXISTS (SELECT 1 FROM outbox later
                                        WHERE later.appointment_id = outbox.appointment_id
                                          AND later.kind = 'appointment_reminder'
                                          AND later.state IN ('pending', 'sending', 'sent')
                                          AND later.due_at > outbox.due_at
                                          AND later.due_at <= ?1)""",
    "claim_due": """SELECT o.id FROM outbox o
                      LEFT JOIN customer_links l ON l.customer_id = o.customer_id
                      LEFT JOIN tg_users u ON u.user_id = l.user_id
                     WHERE o.state = 'pending' AND o.next_attempt_at <= ?
                       AND (o.audience = 'customer' AND u.user_id IS NOT NULL
                            AND u.blocked_at IS NULL)
                     ORDER BY o.next_attempt_at, o.id LIMIT 200""",
    "next_due": """SELECT min(next_attempt_at) FROM outbox
                    WHERE state = 'pending' AND next_attempt_at > ?""",
}


async def main(count: int, pushed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = await Database.open(path)
        clock = FakeClock(START)
        config = Config(db_path=path, quiet_hours=None)
        policy = ReminderPolicy.from_config(config)

        raw = json.dumps(generate(count)).encode()
        t0 = time.perf_counter()
        await apply_import(db, clock, parse_document(load_json(raw)))
        del raw
        t1 = time.perf_counter()
        print(f"import {count:,} customers / {3 * count:,} appointments: {t1 - t0:6.1f} s")

        async with db.write() as conn:  # every customer gets a Telegram account
            await conn.executemany(
                "INSERT INTO tg_users (user_id, chat_id, first_seen_at) VALUES (?, ?, ?)",
                [(10_000 + i, 10_000 + i, to_db(START)) for i in range(1, count + 1)],
            )
            await conn.executemany(
                "INSERT INTO customer_links (customer_id, user_id, linked_at) VALUES (?, ?, ?)",
                [(i, 10_000 + i, to_db(START)) for i in range(1, count + 1)],
            )
        t2 = time.perf_counter()
        async with db.write() as conn:
            for customer_id in range(1, count + 1):
                await schedule_customer(conn, policy, START, customer_id)
        t3 = time.perf_counter()
        rows = await db.fetchone("SELECT count(*) FROM outbox")
        assert rows is not None
        print(
            f"schedule all reminders: {t3 - t2:6.1f} s for {rows[0]:,} rows "
            f"({(t3 - t2) / count * 1000:.2f} ms per customer, as at linking)"
        )

        for name, sql in DUE_QUERIES.items():
            plan = await db.fetchall(f"EXPLAIN QUERY PLAN {sql}", (to_db(START),))
            print(f"query {name}: plan: " + " | ".join(r["detail"] for r in plan))
            for label, probe in (
                ("steady state (run a minute later)", START + timedelta(minutes=1)),
                ("after a day down", START + timedelta(days=1)),
                ("after 30 days down", START + timedelta(days=30)),
            ):
                took = await timed(db, sql, to_db(probe))
                print(f"    {label}: {took:8.2f} ms")

        await push(db, path, clock, pushed)
        await db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MB")


async def timed(db: Database, sql: str, probe: str) -> float:
    """Run a dispatcher query once (updates rolled back); milliseconds."""
    started = time.perf_counter()
    if sql.lstrip().startswith("UPDATE"):
        try:
            async with db.write() as conn:
                await conn.execute(sql, (probe,))
                raise _Rollback
        except _Rollback:
            pass
    else:
        await db.fetchall(sql, (probe,))
    return (time.perf_counter() - started) * 1000


class _Rollback(Exception):
    pass


async def push(db: Database, path: Path, clock: FakeClock, pushed: int) -> None:
    """Make `pushed` reminders of different customers due now and let the dispatcher go."""
    emulator = Emulator(flood=False)
    await emulator.start()
    for i in range(1, pushed + 1):
        emulator.add_user(f"Kunde {i}", user_id=10_000 + i)
    async with db.write() as conn:
        await conn.execute(
            """UPDATE outbox SET next_attempt_at = ?, due_at = ?
                WHERE id IN (SELECT min(id) FROM outbox WHERE kind = 'appointment_reminder'
                               AND customer_id <= ? GROUP BY customer_id)""",
            (to_db(START), to_db(START), pushed),
        )
    services = Services(Config(db_path=path, quiet_hours=None), db, Catalogs(), clock)
    async with Bot(emulator.token, base_url=emulator.base_url) as bot:  # no rate limiter
        dispatcher = OutboxDispatcher(services, bot, outbox_kinds())
        started = time.perf_counter()
        sent = await dispatcher.run_once()
        took = time.perf_counter() - started
    delivered = sum(len(emulator.bot_messages(10_000 + i)) for i in range(1, pushed + 1))
    print(
        f"pushed {delivered:,} of {sent:,} due reminders in {took:5.1f} s: "
        f"{delivered / took:,.0f} reminders/s (Telegram allows about 30/s)"
    )
    await emulator.stop()


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    asyncio.run(main(args[0] if args else 100_000, args[1] if len(args) > 1 else 2_000))
