"""Output of the operators' commands: plain text tables or JSON, times in the Jobcenter's zone.

Shows customer numbers and case-system ids (operators work with those), never names or
message texts.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import from_db
from bot.localized import from_json
from bot.storage import flags as flag_store
from bot.storage import reports
from bot.storage.db import Database, Row


def _local(value: str | None, tz: ZoneInfo) -> str | None:
    return from_db(value).astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else None


def _offset(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    delta = timedelta(seconds=seconds)
    if delta % timedelta(days=1) == timedelta(0):
        return f"{delta.days}d"
    if delta % timedelta(hours=1) == timedelta(0):
        return f"{int(delta.total_seconds() // 3600)}h"
    return f"{int(delta.total_seconds() // 60)}m"


def outbox_record(row: Row, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "state": row["state"],
        "customer_number": row["customer_number"],
        "appointment": row["appointment"],
        "offset": _offset(row["offset_seconds"]),
        "due": _local(row["due_at"], tz),
        "next_attempt": _local(row["next_attempt_at"], tz) if row["state"] == "pending" else None,
        "sent": _local(row["sent_at"], tz),
        "attempts": row["attempts"],
        "error": row["last_error"],
    }


def _table(records: list[dict[str, Any]], columns: list[str]) -> str:
    if not records:
        return "(none)"
    cells = [[str(r[c]) if r[c] is not None else "-" for c in columns] for r in records]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


ROW_COLUMNS = [
    "id",
    "kind",
    "state",
    "customer_number",
    "appointment",
    "offset",
    "due",
    "attempts",
    "error",
]


async def reminders_report(
    db: Database, tz: ZoneInfo, *, due: bool, failed: bool, as_json: bool, limit: int = 100
) -> str:
    if due or failed:
        rows = await (reports.pending_rows(db, limit) if due else reports.failed_rows(db, limit))
        records = [outbox_record(r, tz) for r in rows]
        return json.dumps(records, indent=1) if as_json else _table(records, ROW_COLUMNS)
    counts = [
        {"kind": r["kind"], "state": r["state"], "count": r["n"]}
        for r in await reports.outbox_counts(db)
    ]
    if as_json:
        return json.dumps(counts, indent=1)
    return _table(counts, ["kind", "state", "count"])


async def appointments_report(
    db: Database, tz: ZoneInfo, customer_number: str, *, as_json: bool
) -> str | None:
    rows = await reports.customer_appointments(db, customer_number)
    if rows is None:
        return None
    result = []
    for row in rows:
        topic = from_json(row["topic"]) or {}
        reminders = await reports.appointment_reminders(db, row["id"])
        result.append(
            {
                "appointment": row["ext_id"],
                "starts": _local(row["starts_at"], tz),
                "status": row["status"],
                "topic": topic.get("de"),
                "confirmed": row["confirmed_at"] is not None,
                "cannot_come": row["cannot_come_at"] is not None,
                "reminders": [outbox_record(r, tz) for r in reminders],
            }
        )
    if as_json:
        return json.dumps(result, indent=1, ensure_ascii=False)
    blocks = []
    for item in result:
        answer = "confirmed" if item["confirmed"] else "cannot come" if item["cannot_come"] else ""
        head = f"{item['appointment']}  {item['starts']}  {item['status']}  {item['topic']}"
        blocks.append(
            f"{head}  {answer}".rstrip()
            + "\n"
            + _table(item["reminders"], ["offset", "due", "state", "sent", "attempts", "error"])
        )
    return "\n\n".join(blocks) if blocks else "(no appointments)"


async def flags_report(
    db: Database, tz: ZoneInfo, now: datetime, *, include_closed: bool, as_json: bool
) -> str:
    """Reports and conciliation requests, oldest first; delivery state of their posts."""
    rows = await flag_store.open_flags(db, include_closed=include_closed, limit=10_000)
    posts = await flag_store.post_states(db, [r["id"] for r in rows])
    records = []
    for row in rows:
        created = from_db(row["created_at"])
        records.append(
            {
                "ref": row["ref"],
                "kind": row["kind"],
                "state": row["state"],
                "customer_number": row["customer_number"],
                "subject": row["subject"],
                "reason": row["reason"],
                "late": bool(row["late"]),
                "received": _local(row["created_at"], tz),
                "age_hours": round((now - created).total_seconds() / 3600, 1),
                "taken_by": row["taken_by_name"],
                "deadline": row["deadline_on"],
                "posted": posts.get(row["id"], "not yet"),
            }
        )
    if as_json:
        return json.dumps(records, indent=1, ensure_ascii=False)
    columns = [
        "ref",
        "kind",
        "state",
        "customer_number",
        "received",
        "age_hours",
        "reason",
        "taken_by",
        "deadline",
        "posted",
    ]
    return _table(records, columns)
