"""Apply validated customers to the database in one transaction.

Unchanged customers (same record hash as last time) are skipped without a single write,
so a repeated import is cheap and changes nothing. New customers are bulk-inserted;
changed ones are compared with what is stored and only differences are written.
Steps and appointments are matched by the case system's ids; appointments missing from
a customer's list are cancelled, steps missing from the plan are marked removed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from bot.clock import Clock, to_db
from bot.importing.validate import AppointmentIn, CustomerIn, PlanIn, StepIn
from bot.localized import to_json
from bot.storage import imports as store
from bot.storage.db import Database

Row = tuple[Any, ...]


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


def _opt(texts: dict[str, str] | None) -> str | None:
    return to_json(texts) if texts is not None else None


def _plan_row(customer_id: int, plan: PlanIn, now: str) -> Row:
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


def _step_row(customer_id: int, position: int, step: StepIn, now: str) -> Row:
    due = step.due.isoformat() if step.due else None
    return (customer_id, step.ext_id, position, to_json(step.text), due, now)


def _appointment_fields(a: AppointmentIn) -> Row:
    return (to_db(a.starts_at), to_json(a.topic), _opt(a.location), a.with_name, _opt(a.bring))


# Runs inside the import's transaction, so follow-up work (reminders, notices) is atomic
# with the data it follows.
AfterImport = Callable[[aiosqlite.Connection, ImportSummary], Awaitable[None]]


async def apply_import(
    db: Database, clock: Clock, customers: list[CustomerIn], after: AfterImport | None = None
) -> ImportSummary:
    summary = ImportSummary()
    now = to_db(clock.now())
    async with db.write() as conn:
        existing = await store.existing_customers(conn, [c.customer_number for c in customers])
        new = [c for c in customers if c.customer_number not in existing]
        changed = [
            c
            for c in customers
            if c.customer_number in existing
            and existing[c.customer_number].import_hash != c.source_hash
        ]
        summary.customers_unchanged = len(customers) - len(new)
        if not new and not changed:
            return summary

        contacts = await store.contact_ids(
            conn, {(c.contact.name, c.contact.phone) for c in new + changed if c.contact}
        )

        def contact_id(c: CustomerIn) -> int | None:
            return contacts[(c.contact.name, c.contact.phone)] if c.contact else None

        ids = await store.insert_customers(
            conn,
            [(c.customer_number, c.name, c.locale, contact_id(c), c.source_hash) for c in new],
            now,
        )
        await _insert_new(conn, new, ids, now, summary)
        summary.customers_created = len(new)

        stored = {c.customer_number: existing[c.customer_number] for c in changed}

        def kept(c: CustomerIn) -> tuple[str, str | None, int | None]:
            """Name, locale, contact: a key left out of the file keeps what is stored."""
            _, locale, contact = stored[c.customer_number].fields
            return (
                c.name,
                c.locale if c.has_locale else locale,
                contact_id(c) if c.has_contact else contact,
            )

        await store.update_customers(
            conn,
            [(*kept(c), c.source_hash, stored[c.customer_number].id, now) for c in changed],
        )
        really_changed = {
            stored[c.customer_number].id
            for c in changed
            if stored[c.customer_number].fields != kept(c)
        }
        really_changed |= await _update_changed(conn, changed, stored, now, summary)
        summary.customers_updated = len(really_changed)
        summary.customers_unchanged -= len(really_changed)
        if after is not None:
            await after(conn, summary)
    return summary


async def _insert_new(
    conn: aiosqlite.Connection,
    new: list[CustomerIn],
    ids: dict[str, int],
    now: str,
    summary: ImportSummary,
) -> None:
    plans: list[Row] = []
    steps: list[Row] = []
    appointments: list[Row] = []
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


@dataclass
class _Diff:
    """What a re-import changes, gathered before writing it in bulk."""

    plans: list[Row] = field(default_factory=list)
    removed_plans: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)
    removed_steps: list[Row] = field(default_factory=list)
    new_appointments: list[Row] = field(default_factory=list)
    updated_appointments: list[Row] = field(default_factory=list)
    cancelled: list[Row] = field(default_factory=list)
    plan_changed: set[int] = field(default_factory=set)
    appointment_changed: set[int] = field(default_factory=set)


async def _update_changed(
    conn: aiosqlite.Connection,
    changed: list[CustomerIn],
    stored: dict[str, store.StoredCustomer],
    now: str,
    summary: ImportSummary,
) -> set[int]:
    """Write what differs for customers whose record changed; returns their ids."""
    if not changed:
        return set()
    await store.stage_customer_ids(conn, [s.id for s in stored.values()])
    old_plans = await store.staged_plans(conn)
    old_steps = await store.staged_steps(conn)
    old_appointments = await store.staged_appointments(conn)
    diff = _Diff()
    for c in changed:
        cid = stored[c.customer_number].id
        if c.has_plan:
            _diff_plan(diff, cid, c.plan, old_plans.get(cid), old_steps.get(cid, {}), now)
        if c.appointments is not None:
            _diff_appointments(
                diff, summary, cid, c.appointments, old_appointments.get(cid, {}), now
            )

    await store.delete_plans(conn, diff.removed_plans, now)
    await store.upsert_plans(conn, diff.plans)
    await store.upsert_steps(conn, diff.steps)
    await store.remove_steps(conn, diff.removed_steps)
    added = await store.insert_appointments(conn, diff.new_appointments, returning=True)
    summary.appointment_changes.extend(AppointmentChange(c, a, "added") for c, a in added)
    await store.update_appointments(conn, diff.updated_appointments)
    await store.cancel_appointments(conn, diff.cancelled)
    summary.appointments_created += len(diff.new_appointments)
    summary.appointments_updated += len(diff.updated_appointments)
    summary.appointments_cancelled += len(diff.cancelled)
    summary.steps_changed += len(diff.steps) + len(diff.removed_steps)
    summary.plan_changed_customers = sorted(diff.plan_changed)
    return diff.plan_changed | diff.appointment_changed


def _diff_plan(
    diff: _Diff,
    cid: int,
    plan: PlanIn | None,
    old_plan: Row | None,
    old_steps: dict[str, Row],
    now: str,
) -> None:
    if plan is None:
        if old_plan is not None:
            diff.removed_plans.append((cid,))
            diff.plan_changed.add(cid)
        return
    row = _plan_row(cid, plan, now)
    if old_plan != row[1:-1]:
        diff.plans.append(row)
        diff.plan_changed.add(cid)
    wanted = set()
    for position, step in enumerate(plan.next_steps):
        row = _step_row(cid, position, step, now)
        wanted.add(step.ext_id)
        if old_steps.get(step.ext_id) != (*row[2:5], None):  # None: not removed
            diff.steps.append(row)
            diff.plan_changed.add(cid)
    for ext_id, old in old_steps.items():
        if ext_id not in wanted and old[3] is None:
            diff.removed_steps.append((now, cid, ext_id))
            diff.plan_changed.add(cid)


def _diff_appointments(
    diff: _Diff,
    summary: ImportSummary,
    cid: int,
    appointments: tuple[AppointmentIn, ...],
    old_appointments: dict[str, store.StoredAppointment],
    now: str,
) -> None:
    wanted = set()
    for a in appointments:
        wanted.add(a.ext_id)
        fields = _appointment_fields(a)
        old = old_appointments.get(a.ext_id)
        if old is None:
            diff.new_appointments.append((cid, a.ext_id, *fields, now, now))
            diff.appointment_changed.add(cid)
            continue
        if old.fields == fields and old.status == "scheduled":
            continue
        diff.updated_appointments.append((*fields, now, old.id))
        diff.appointment_changed.add(cid)
        if old.status != "scheduled":
            change = AppointmentChange(cid, old.id, "added")
        elif old.fields[0] != fields[0]:
            change = AppointmentChange(cid, old.id, "moved", old.fields[0])
        else:
            change = AppointmentChange(cid, old.id, "changed")
        summary.appointment_changes.append(change)
    for ext_id, old in old_appointments.items():
        # Case systems export what is ahead: an appointment that has begun is not
        # "cancelled" just because it is no longer in the file.
        if ext_id not in wanted and old.status == "scheduled" and old.fields[0] > now:
            diff.cancelled.append((now, old.id))
            diff.appointment_changed.add(cid)
            summary.appointment_changes.append(AppointmentChange(cid, old.id, "cancelled"))
