"""When reminders and notices go out: scheduling rows in the outbox.

Rows exist only for linked customers (reminding someone we cannot reach is no work):
they are created when a customer links, and kept in step by every import. The
dispatcher then sends them (bot/outbox.py) and `dialogs/reminders.py` words them.

Times: an offset of whole days keeps the local time of day across daylight-saving
changes (7 days before Monday 09:00 is the Monday before at 09:00); other offsets are
exact durations. A reminder that would fall into quiet hours is moved to just before
they begin, or, when that moment has passed already (linked at 22:00 for 07:30), to
their end if that is still before the appointment. One whose time has already passed
when it is scheduled is not created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.clock import from_db, to_db
from bot.config import Config, QuietHours
from bot.storage import outbox, schedule

if TYPE_CHECKING:
    from bot.importing.apply import ImportSummary

APPOINTMENT_REMINDER = "appointment_reminder"
STEP_REMINDER = "step_reminder"
CHANGE_NOTICE = "change_notice"
STEP_DEADLINE_TIME = time(9, 0)  # a step "due on" a date is reminded relative to 09:00
NOTICE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True)
class ReminderPolicy:
    offsets: tuple[timedelta, ...]
    quiet: QuietHours | None
    tz: ZoneInfo
    step_reminder: timedelta

    @classmethod
    def from_config(cls, config: Config) -> ReminderPolicy:
        return cls(
            config.reminder_offsets, config.quiet_hours, config.timezone, config.step_reminder
        )

    def before(self, moment: datetime, offset: timedelta) -> datetime:
        """`offset` before `moment`; whole days in local wall-clock time."""
        if offset % timedelta(days=1) == timedelta(0):
            local = moment.astimezone(self.tz).replace(tzinfo=None) - offset
            return local.replace(tzinfo=self.tz).astimezone(moment.tzinfo)
        return moment - offset

    def in_quiet_hours(self, moment: datetime) -> bool:
        return self.quiet is not None and self.quiet.contains(moment.astimezone(self.tz).time())

    def out_of_quiet_hours_before(self, moment: datetime) -> datetime:
        """`moment`, or the last minute before the quiet hours it falls into began."""
        if self.quiet is None or not self.in_quiet_hours(moment):
            return moment
        local = moment.astimezone(self.tz)
        start = datetime.combine(local.date(), self.quiet.start, self.tz)
        if start > local:  # after midnight: the quiet hours began the evening before
            start -= timedelta(days=1)
        return (start - timedelta(minutes=1)).astimezone(moment.tzinfo)

    def reminder_time(self, wanted: datetime, now: datetime, deadline: datetime) -> datetime | None:
        """When a reminder wanted at `wanted` goes out: then, or just before the quiet hours
        it falls into; if that has passed already, when they end (before `deadline`).
        None when even that is too late."""
        if wanted <= now:
            return None
        due = self.out_of_quiet_hours_before(wanted)
        if due > now:
            return due
        end = self.quiet_hours_end(wanted)
        return end if end is not None and now < end < deadline else None

    def quiet_hours_end(self, moment: datetime) -> datetime | None:
        """When the quiet hours `moment` falls into end (None if it does not)."""
        if self.quiet is None or not self.in_quiet_hours(moment):
            return None
        local = moment.astimezone(self.tz)
        end = datetime.combine(local.date(), self.quiet.end, self.tz)
        if end <= local:
            end += timedelta(days=1)
        return end.astimezone(moment.tzinfo)


def offset_key(offset: timedelta) -> int:
    return int(offset.total_seconds())


async def schedule_appointment(
    conn: aiosqlite.Connection,
    policy: ReminderPolicy,
    now: datetime,
    customer_id: int,
    appointment_id: int,
    starts_at: datetime,
) -> None:
    stamp, start = to_db(now), to_db(starts_at)
    for offset in policy.offsets:
        due = policy.reminder_time(policy.before(starts_at, offset), now, starts_at)
        if due is None:
            continue
        await outbox.enqueue(
            conn,
            kind=APPOINTMENT_REMINDER,
            audience="customer",
            now=stamp,
            due_at=to_db(due),
            customer_id=customer_id,
            appointment_id=appointment_id,
            payload={"offset": offset_key(offset), "starts_at": start},
            dedupe_key=f"rem:{appointment_id}:{start}:{offset_key(offset)}",
            expires_at=start,
            revive=True,
        )


async def schedule_step(
    conn: aiosqlite.Connection,
    policy: ReminderPolicy,
    now: datetime,
    customer_id: int,
    step_id: int,
    due_on: str,
) -> None:
    deadline = datetime.combine(datetime.fromisoformat(due_on).date(), STEP_DEADLINE_TIME)
    deadline = deadline.replace(tzinfo=policy.tz)
    due = policy.reminder_time(policy.before(deadline, policy.step_reminder), now, deadline)
    if due is None:
        return
    # Sent at the latest the day before: "planned by <date>: in N days" needs N >= 1.
    due_day = datetime.combine(deadline.date(), time(0), policy.tz)
    await outbox.enqueue(
        conn,
        kind=STEP_REMINDER,
        audience="customer",
        now=to_db(now),
        due_at=to_db(due),
        customer_id=customer_id,
        step_id=step_id,
        payload={"due_on": due_on},
        dedupe_key=f"step:{step_id}:{due_on}",
        expires_at=to_db(due_day),
        revive=True,
    )


async def schedule_customer(
    conn: aiosqlite.Connection, policy: ReminderPolicy, now: datetime, customer_id: int
) -> None:
    """Everything ahead for one customer (at linking, or after a plan change)."""
    for appointment_id, starts_at in await schedule.upcoming_appointments(
        conn, customer_id, to_db(now)
    ):
        await schedule_appointment(
            conn, policy, now, customer_id, appointment_id, from_db(starts_at)
        )
    await reschedule_steps(conn, policy, now, customer_id)


async def reschedule_steps(
    conn: aiosqlite.Connection, policy: ReminderPolicy, now: datetime, customer_id: int
) -> None:
    await schedule.cancel_stale_step_reminders(conn, customer_id)
    for step_id, due_on in await schedule.steps_with_due_dates(conn, customer_id):
        await schedule_step(conn, policy, now, customer_id, step_id, due_on)


async def on_import(
    conn: aiosqlite.Connection, policy: ReminderPolicy, now: datetime, summary: ImportSummary
) -> int:
    """Keep linked customers' reminders in step with an import; tell them what changed.

    Returns the number of change notices queued.
    """
    touched = {c.customer_id for c in summary.appointment_changes}
    touched |= set(summary.plan_changed_customers)
    linked = await schedule.linked_among(conn, touched)
    notices: dict[int, list[dict[str, Any]]] = {cid: [] for cid in linked}
    for change in summary.appointment_changes:
        if change.customer_id not in linked:
            continue
        if change.kind in ("moved", "cancelled", "added"):
            await schedule.cancel_appointment_reminders(conn, change.appointment_id)
        if change.kind in ("moved", "added", "changed"):
            starts_at = await schedule.appointment_start(conn, change.appointment_id)
            if starts_at is not None:
                await schedule_appointment(
                    conn, policy, now, change.customer_id, change.appointment_id, starts_at
                )
        when = await schedule.appointment_time(conn, change.appointment_id)
        if when is None or when <= now:
            continue  # news about an appointment that has begun helps nobody
        entry: dict[str, Any] = {"kind": change.kind, "appointment_id": change.appointment_id}
        if change.old_starts_at:
            entry["old"] = change.old_starts_at
        notices[change.customer_id].append(entry)
    for customer_id in summary.plan_changed_customers:
        if customer_id in linked:
            await reschedule_steps(conn, policy, now, customer_id)
            notices[customer_id].append({"kind": "plan"})
    queued = 0
    for customer_id, changes in notices.items():
        if changes:
            await outbox.enqueue(
                conn,
                kind=CHANGE_NOTICE,
                audience="customer",
                now=to_db(now),
                customer_id=customer_id,
                payload={"changes": changes},
                expires_at=to_db(now + NOTICE_LIFETIME),
            )
            queued += 1
    return queued
