"""One-time link codes: issued by the Jobcenter, redeemed once with `/start CODE`.

A code carries 128 random bits, is stored only as its SHA-256 hash, expires, and works
once. Redeeming binds the customer to the Telegram account (moving any earlier link) and
tells the caseworkers, so a link nobody expected is noticed. Failed attempts are counted
in the database: after `MAX_FAILED` within `THROTTLE_WINDOW` an account must wait.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, from_db, to_db
from bot.reminders import ReminderPolicy, schedule_customer
from bot.storage import audit, links, outbox
from bot.storage.db import Database

CODE_BYTES = 16  # 128 bits of entropy; 22 URL-safe characters
DEFAULT_VALID_DAYS = 14
MAX_FAILED = 5
THROTTLE_WINDOW = timedelta(hours=1)
DEEP_LINK_PREFIXES = ("explain",)  # /start payloads that are not codes


class UnknownCustomer(Exception):
    pass


class RedeemOutcome(enum.Enum):
    LINKED = "linked"
    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class IssuedCode:
    customer_number: str
    code: str
    expires_at: datetime

    def deep_link(self, bot_username: str | None) -> str | None:
        return f"https://t.me/{bot_username}?start={self.code}" if bot_username else None


@dataclass(frozen=True)
class Redeemed:
    outcome: RedeemOutcome
    customer_id: int | None = None


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii", "replace")).hexdigest()


def new_code() -> str:
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if not code.startswith(DEEP_LINK_PREFIXES):
            return code


def looks_like_code(payload: str) -> bool:
    return 16 <= len(payload) <= 64 and all(c.isalnum() or c in "-_" for c in payload)


async def issue_code(
    db: Database, clock: Clock, customer_number: str, valid_days: int = DEFAULT_VALID_DAYS
) -> IssuedCode:
    if not 1 <= valid_days <= 365:
        raise ValueError("valid days must be between 1 and 365")
    now = clock.now()
    expires = now + timedelta(days=valid_days)
    code = new_code()
    async with db.write() as conn:
        customer_id = await links.customer_id_by_number(conn, customer_number.strip().upper())
        if customer_id is None:
            raise UnknownCustomer(customer_number)
        await links.insert_code(conn, customer_id, hash_code(code), to_db(now), to_db(expires))
        await audit.record(
            conn, to_db(now), "operator", "link_code_issued", customer_id=customer_id
        )
    return IssuedCode(customer_number.strip().upper(), code, expires)


async def redeem_code(
    db: Database, clock: Clock, user_id: int, code: str, policy: ReminderPolicy | None = None
) -> Redeemed:
    """Link the account if the code is good; with a policy, schedule the reminders too."""
    now = clock.now()
    stamp = to_db(now)
    async with db.write() as conn:
        since = to_db(now - THROTTLE_WINDOW)
        if await links.failed_attempts_since(conn, user_id, since) >= MAX_FAILED:
            return Redeemed(RedeemOutcome.THROTTLED)
        row = await links.code_by_hash(conn, hash_code(code))
        outcome = RedeemOutcome.LINKED
        if row is None or row.revoked_at is not None:
            outcome = RedeemOutcome.INVALID
        elif row.used_at is not None:
            outcome = RedeemOutcome.USED
        elif from_db(row.expires_at) <= now:
            outcome = RedeemOutcome.EXPIRED
        await links.record_attempt(conn, user_id, stamp, outcome is RedeemOutcome.LINKED)
        if row is None or outcome is not RedeemOutcome.LINKED:
            return Redeemed(outcome)
        await links.mark_code_used(conn, row.id, user_id, stamp)
        moved = await links.link(conn, row.customer_id, user_id, stamp)
        await audit.record(
            conn,
            stamp,
            "customer",
            "linked",
            customer_id=row.customer_id,
            moved=int(moved.previous_user is not None),
            replaced_customer=moved.previous_customer,
        )
        await outbox.enqueue(
            conn,
            kind="link_notice",
            audience="caseworkers",
            now=stamp,
            customer_id=row.customer_id,
            # The customer this account showed before now reaches nobody here: say so.
            payload={
                "moved": moved.previous_user is not None,
                "replaced_customer": moved.previous_customer,
            },
            expires_at=to_db(now + timedelta(days=7)),
        )
        if policy is not None:
            await schedule_customer(conn, policy, now, row.customer_id)
    return Redeemed(RedeemOutcome.LINKED, row.customer_id)
