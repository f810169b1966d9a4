"""A customer's plan and contact person, as typed values for the dialogs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from bot.clock import date_from_db
from bot.localized import from_json
from bot.storage import customers
from bot.storage.db import Database

Texts = dict[str, str]


@dataclass(frozen=True)
class Step:
    id: int
    text: Texts
    due: date | None


@dataclass(frozen=True)
class Plan:
    goal: Texts
    interim_goal: Texts | None
    steps: tuple[Step, ...]
    jobcenter_support: tuple[Texts, ...]
    other_support: tuple[Texts, ...]
    other_notes: Texts | None
    agreed_on: date | None
    review_on: date | None


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


def _text_list(raw: str) -> tuple[Texts, ...]:
    return tuple(from_json(item) or {} for item in json.loads(raw))


async def plan_of(db: Database, customer_id: int) -> Plan | None:
    row, step_rows = await customers.plan_rows(db, customer_id)
    if row is None:
        return None
    goal = from_json(row["goal"])
    assert goal is not None
    return Plan(
        goal=goal,
        interim_goal=from_json(row["interim_goal"]),
        steps=tuple(
            Step(r["id"], from_json(r["text"]) or {}, date_from_db(r["due_on"])) for r in step_rows
        ),
        jobcenter_support=_text_list(row["jobcenter_support"]),
        other_support=_text_list(row["other_support"]),
        other_notes=from_json(row["other_notes"]),
        agreed_on=date_from_db(row["agreed_on"]),
        review_on=date_from_db(row["review_on"]),
    )


async def step_of(db: Database, customer_id: int, step_id: int) -> Step | None:
    """One of the customer's steps, also one that is no longer in the plan."""
    row = await customers.step_row(db, customer_id, step_id)
    return (
        Step(row["id"], from_json(row["text"]) or {}, date_from_db(row["due_on"])) if row else None
    )


async def contact_of(db: Database, customer_id: int) -> Contact | None:
    row = await customers.contact_row(db, customer_id)
    return Contact(row["name"], row["phone"]) if row else None
