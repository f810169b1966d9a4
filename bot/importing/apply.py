"""Apply validated customers to the database in one transaction.

Unchanged customers (same record hash as last time) are skipped without a single write,
so a repeated import is cheap and changes nothing. New customers are bulk-inserted;
changed ones are compared with what is stored and only differences are written.
Steps and appointments are matched by the case system's ids; appointments missing from
a customer's list are cancelled, steps missing from the plan are marked removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.clock import Clock, to_db
from bot.importing.validate import AppointmentIn, CustomerIn, PlanIn, StepIn
from bot.localized import to_json
from bot.storage import imports as store
from bot.storage.db import Database


@dataclass(frozen=True)
class AppointmentChange:
    customer_id: int
    appointment_id: int
    kind: str  # added | moved | changed | cancelled
    old_starts_at: str | None = None


@dataclass
class ImportSummary:
    customers_created: int = 0
    customers_updated: int = 0
    customers_unchanged: int = 0
    appointments_created: int = 0
    appointments_updated: int = 0
    appointments_cancelled: int = 0
    steps_changed: int = 0
    appointment_changes: list[AppointmentChange] = field(default_factory=list)
    plan_changed_customers: list[int] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.customers_created or self.customers_updated)

    def counts(self) -> dict[str, int]:
        return {
            "customers_created": self.customers_created,
            "customers_updated": self.customers_updated,
            "customers_unchanged": self.customers_unchanged,
            "appointments_created": self.appointments_created,
            "appointments_updated": self.appointments_updated,
            "appointments_cancelled": self.appointments_cancelled,
        }


def record_hash(customer: CustomerIn) -> str:
    def default(value: Any) -> str:
        if isinstance(value, date | datetime):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    canonical = json.dumps(asdict(customer), sort_keys=True, default=default)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _opt(texts: dict[str, str] | None) -> str | None:
    return to_json(texts) if texts is not None else None


def _plan_row(customer_id: int, plan: PlanIn, now: str) -> tuple[Any, ...]:
    return (
        customer_id,
        to_json(plan.goal),
        _opt(plan.interim_goal),
        json.dumps([to_json(t) for t in plan.jobcenter_support], ensure_ascii=False),
        json.dumps([to_json(t) for t in plan.other_support], ensure_ascii=False),
        _opt(plan.other_notes),
        plan.agreed_on.isoformat() if plan.agreed_on else None,
        plan.review_on.isoformat() if plan.review_on else None,
        now,
    )


def _step_row(customer_id: int, position: int, step: StepIn, now: str) -> tuple[Any, ...]:
    due = step.due.isoformat() if step.due else None
    return (customer_id, step.ext_id, position, to_json(step.text), due, now)


def _appointment_fields(a: AppointmentIn) -> tuple[Any, ...]:
    return (
        to_db(a.starts_at),
        to_json(a.topic),
        _opt(a.location),
        a.with_name,
        _opt(a.bring),
    )


async def apply_import(db: Database, clock: Clock, customers: list[CustomerIn]) -> ImportSummary:
    summary = ImportSummary()
    now = to_db(clock.now())
    hashes = {c.customer_number: record_hash(c) for c in customers}
    async with db.write() as conn:
        existing = await store.existing_customers(conn, hashes)
        new = [c for c in customers if c.customer_number not in existing]
        changed = [
            c
            for c in customers
            if c.customer_number in existing
            and existing[c.customer_number][1] != hashes[c.customer_number]
        ]
        summary.customers_unchanged = len(customers) - len(new) - len(changed)
        summary.customers_created, summary.customers_updated = len(new), len(changed)
        if not new and not changed:
            return summary

        contacts = await store.contact_ids(
            conn, {(c.contact.name, c.contact.phone) for c in new + changed if c.contact}
        )

        def contact_id(c: CustomerIn) -> int | None:
            return contacts[(c.contact.name, c.contact.phone)] if c.contact else None

        ids = await store.insert_customers(
            conn,
            [
                (c.customer_number, c.name, c.locale, contact_id(c), hashes[c.customer_number])
                for c in new
            ],
            now,
        )
        await store.update_customers(
            conn,
            [
                (
                    c.name,
                    c.locale,
                    contact_id(c),
                    hashes[c.customer_number],
                    now,
                    existing[c.customer_number][0],
                )
                for c in changed
            ],
        )
        await _insert_new(conn, new, ids, now, summary)
        changed_ids = {c.customer_number: existing[c.customer_number][0] for c in changed}
        await _update_changed(conn, changed, changed_ids, now, summary)
    return summary


async def _insert_new(
    conn: aiosqlite.Connection,
    new: list[CustomerIn],
    ids: dict[str, int],
    now: str,
    summary: ImportSummary,
) -> None:
    plans: list[tuple[Any, ...]] = []
    steps: list[tuple[Any, ...]] = []
    appointments: list[tuple[Any, ...]] = []
    for c in new:
        cid = ids[c.customer_number]
        if c.plan:
            plans.append(_plan_row(cid, c.plan, now))
            steps.extend(_step_row(cid, i, s, now) for i, s in enumerate(c.plan.next_steps))
        for a in c.appointments or ():
            appointments.append((cid, a.ext_id, *_appointment_fields(a), now, now))
    await store.upsert_plans(conn, plans)
    await store.upsert_steps(conn, steps)
    await store.insert_appointments(conn, appointments)
    summary.appointments_created += len(appointments)


async def _update_changed(
    conn: aiosqlite.Connection,
    changed: list[CustomerIn],
    ids: dict[str, int],
    now: str,
    summary: ImportSummary,
) -> None:
    if not changed:
        return
    await store.stage_customer_ids(conn, list(ids.values()))
    old_plans = await store.staged_plans(conn)
    old_steps = await store.staged_steps(conn)
    old_appointments = await store.staged_appointments(conn)

    plan_rows: list[tuple[Any, ...]] = []
    removed_plans: list[tuple[Any, ...]] = []
    step_rows: list[tuple[Any, ...]] = []
    step_removals: list[tuple[Any, ...]] = []
    new_appointments: list[tuple[Any, ...]] = []
    updated_appointments: list[tuple[Any, ...]] = []
    cancelled: list[tuple[Any, ...]] = []
    plan_changed: set[int] = set()
    for c in changed:
        cid = ids[c.customer_number]
        if c.has_plan:
            stored_steps = old_steps.get(cid, {})
            wanted_steps = {}
            if c.plan is None:
                if cid in old_plans:
                    removed_plans.append((cid,))
                    plan_changed.add(cid)
            else:
                row = _plan_row(cid, c.plan, now)
                if old_plans.get(cid) != row[1:-1]:
                    plan_rows.append(row)
                    plan_changed.add(cid)
                for position, step in enumerate(c.plan.next_steps):
                    row = _step_row(cid, position, step, now)
                    wanted_steps[step.ext_id] = row
                    if stored_steps.get(step.ext_id) != (*row[2:5], None):
                        step_rows.append(row)
                        plan_changed.add(cid)
                for ext_id, stored in stored_steps.items():
                    if ext_id not in wanted_steps and stored[3] is None:  # not yet removed
                        step_removals.append((now, cid, ext_id))
                        plan_changed.add(cid)
        if c.appointments is not None:
            stored_appointments = old_appointments.get(cid, {})
            wanted = set()
            for a in c.appointments:
                wanted.add(a.ext_id)
                fields = _appointment_fields(a)
                old = stored_appointments.get(a.ext_id)
                if old is None:
                    new_appointments.append((cid, a.ext_id, *fields, now, now))
                elif old.fields != fields or old.status != "scheduled":
                    updated_appointments.append((*fields, now, old.id))
                    if old.status != "scheduled":
                        kind, previous = "added", None
                    elif old.fields[0] != fields[0]:
                        kind, previous = "moved", old.fields[0]
                    else:
                        kind, previous = "changed", None
                    summary.appointment_changes.append(
                        AppointmentChange(cid, old.id, kind, previous)
                    )
            for ext_id, old in stored_appointments.items():
                if ext_id not in wanted and old.status == "scheduled":
                    cancelled.append((now, old.id))
                    summary.appointment_changes.append(AppointmentChange(cid, old.id, "cancelled"))

    await store.delete_plans(conn, removed_plans, now)
    await store.upsert_plans(conn, plan_rows)
    await store.upsert_steps(conn, step_rows)
    await store.remove_steps(conn, step_removals)
    added_ids = await store.insert_appointments(conn, new_appointments, returning=True)
    summary.appointment_changes.extend(
        AppointmentChange(cid, aid, "added") for cid, aid in added_ids
    )
    await store.update_appointments(conn, updated_appointments)
    await store.cancel_appointments(conn, cancelled)
    summary.appointments_created += len(new_appointments)
    summary.appointments_updated += len(updated_appointments)
    summary.appointments_cancelled += len(cancelled)
    summary.steps_changed += len(step_rows) + len(step_removals)
    summary.plan_changed_customers = sorted(plan_changed)
