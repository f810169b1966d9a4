"""One-time link codes: entropy, hashing, single use, expiry, throttling, moving links."""

import re
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.linking import (
    MAX_FAILED,
    RedeemOutcome,
    UnknownCustomer,
    hash_code,
    issue_code,
    redeem_code,
)
from bot.storage import users
from bot.storage.db import Database
from tests.conftest import NUMBER, document, import_doc


@pytest.fixture
async def imported(db: Database, clock: FakeClock) -> Database:
    await import_doc(db, clock, document())
    for user_id in (1, 2, 3):
        async with db.write() as conn:
            await users.upsert_user(conn, user_id, user_id, "de", "2026-01-01T00:00:00.000000Z")
    return db


async def test_code_is_url_safe_long_and_stored_only_as_hash(
    imported: Database, clock: FakeClock
) -> None:
    issued = await issue_code(imported, clock, NUMBER)
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", issued.code)  # 16 random bytes = 128 bits
    stored = await imported.fetchall("SELECT code_hash FROM link_codes")
    assert [r[0] for r in stored] == [hash_code(issued.code)]
    dump = "\n".join(str(tuple(r)) for r in await imported.fetchall("SELECT * FROM link_codes"))
    assert issued.code not in dump
    assert issued.deep_link("my_bot") == f"https://t.me/my_bot?start={issued.code}"
    assert issued.expires_at - clock.now() == timedelta(days=14)


async def test_unknown_customer(imported: Database, clock: FakeClock) -> None:
    with pytest.raises(UnknownCustomer):
        await issue_code(imported, clock, "999X999999")


async def test_code_links_once(imported: Database, clock: FakeClock) -> None:
    issued = await issue_code(imported, clock, NUMBER)
    first = await redeem_code(imported, clock, 1, issued.code)
    assert first.outcome is RedeemOutcome.LINKED and first.customer_id is not None
    again = await redeem_code(imported, clock, 2, issued.code)
    assert again.outcome is RedeemOutcome.USED
    links = await imported.fetchall("SELECT user_id FROM customer_links")
    assert [r[0] for r in links] == [1]
    notice = await imported.fetchall("SELECT kind, audience FROM outbox")
    assert [tuple(r) for r in notice] == [("link_notice", "caseworkers")]


async def test_code_expires(imported: Database, clock: FakeClock) -> None:
    issued = await issue_code(imported, clock, NUMBER, valid_days=1)
    clock.advance(timedelta(days=1, seconds=1))
    assert (await redeem_code(imported, clock, 1, issued.code)).outcome is RedeemOutcome.EXPIRED


async def test_new_code_replaces_old_and_moves_the_link(
    imported: Database, clock: FakeClock
) -> None:
    first = await issue_code(imported, clock, NUMBER)
    await redeem_code(imported, clock, 1, first.code)
    unused = await issue_code(imported, clock, NUMBER)
    newest = await issue_code(imported, clock, NUMBER)
    assert (await redeem_code(imported, clock, 2, unused.code)).outcome is RedeemOutcome.INVALID
    assert (await redeem_code(imported, clock, 2, newest.code)).outcome is RedeemOutcome.LINKED
    links = await imported.fetchall("SELECT user_id FROM customer_links")
    assert [r[0] for r in links] == [2]  # the first account sees nothing any more
    row = await users.user_row(imported, 1)
    assert row is not None and row.customer_id is None


async def test_failed_attempts_are_throttled_in_the_database(
    imported: Database, clock: FakeClock
) -> None:
    issued = await issue_code(imported, clock, NUMBER)
    for _ in range(MAX_FAILED):
        result = await redeem_code(imported, clock, 3, "wrong-code-wrong-code-00")
        assert result.outcome is RedeemOutcome.INVALID
    blocked = await redeem_code(imported, clock, 3, issued.code)
    assert blocked.outcome is RedeemOutcome.THROTTLED
    # Another account is not affected, and after an hour this one may try again.
    clock.advance(timedelta(hours=1, seconds=1))
    assert (await redeem_code(imported, clock, 3, issued.code)).outcome is RedeemOutcome.LINKED
