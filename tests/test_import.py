"""`kobot import`: validation with JSON paths, all-or-nothing, idempotent, upserts by id."""

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.importing.validate import ImportErrors, load_json, parse_document
from bot.storage.db import Database
from tests.conftest import document, import_doc, sample_customer


def errors_of(doc: Any) -> list[str]:
    with pytest.raises(ImportErrors) as err:
        parse_document(doc)
    return err.value.errors


async def count(db: Database, table: str, where: str = "1") -> int:
    row = await db.fetchone(f"SELECT count(*) FROM {table} WHERE {where}")  # noqa: S608
    assert row is not None
    return int(row[0])


async def test_first_import_creates_everything(db: Database, clock: FakeClock) -> None:
    summary = await import_doc(
        db, clock, document(sample_customer(), sample_customer("123B000001"))
    )
    assert (summary.customers_created, summary.customers_updated) == (2, 0)
    assert summary.appointments_created == 2
    assert await count(db, "customers") == 2
    assert await count(db, "contacts") == 1  # the same contact person is stored once
    assert await count(db, "plan_steps") == 2
    row = await db.fetchone("SELECT starts_at FROM appointments LIMIT 1")
    assert row is not None and row[0] == "2026-12-02T08:30:00.000000Z"  # stored in UTC


async def test_second_identical_import_changes_nothing(db: Database, clock: FakeClock) -> None:
    await import_doc(db, clock, document())
    before = await db.fetchall("SELECT * FROM customers")
    clock.advance(timedelta(hours=1))
    summary = await import_doc(db, clock, document())
    assert not summary.changed_anything
    assert summary.customers_unchanged == 1
    assert [tuple(r) for r in await db.fetchall("SELECT * FROM customers")] == [
        tuple(r) for r in before
    ]


async def test_steps_and_appointments_are_upserted_by_id(db: Database, clock: FakeClock) -> None:
    await import_doc(db, clock, document())
    ids = await db.fetchall("SELECT id, ext_id FROM appointments")
    changed = sample_customer()
    changed["appointments"][0]["starts_at"] = "2026-12-03T10:00:00+01:00"
    changed["appointments"].append(
        {"id": "T-2", "starts_at": "2026-12-09T10:00:00+01:00", "topic": "Workshop"}
    )
    changed["plan"]["next_steps"][0]["text"] = "Am Bewerbungstraining teilnehmen (neu)"
    summary = await import_doc(db, clock, document(changed))
    assert summary.customers_updated == 1
    assert (summary.appointments_created, summary.appointments_updated) == (1, 1)
    kinds = sorted(c.kind for c in summary.appointment_changes)
    assert kinds == ["added", "moved"]
    moved = next(c for c in summary.appointment_changes if c.kind == "moved")
    assert moved.old_starts_at == "2026-12-02T08:30:00.000000Z"
    same = await db.fetchone("SELECT id, sequence FROM appointments WHERE ext_id = 'T-1001'")
    assert same is not None and same["id"] == ids[0]["id"] and same["sequence"] == 1
    assert await count(db, "plan_steps") == 1
    customer = await db.fetchone("SELECT id FROM customers")
    assert customer is not None and summary.plan_changed_customers == [customer["id"]]


async def test_missing_appointment_is_cancelled_and_step_removed(
    db: Database, clock: FakeClock
) -> None:
    await import_doc(db, clock, document())
    later = sample_customer(appointments=[])
    later["plan"]["next_steps"] = []
    summary = await import_doc(db, clock, document(later))
    assert summary.appointments_cancelled == 1
    assert await count(db, "appointments", "status = 'cancelled'") == 1
    assert await count(db, "plan_steps", "removed_at IS NOT NULL") == 1
    # Absent keys leave things as they are.
    untouched = sample_customer()
    del untouched["appointments"]
    summary = await import_doc(db, clock, document(untouched))
    assert summary.appointments_cancelled == 0
    assert await count(db, "plan_steps", "removed_at IS NULL") == 1  # S1 is back


async def test_translated_texts_are_accepted(db: Database, clock: FakeClock) -> None:
    customer = sample_customer()
    customer["plan"]["goal"] = {"de": "Arbeit im Lager", "uk": "Робота на складі"}
    await import_doc(db, clock, document(customer))
    row = await db.fetchone("SELECT goal FROM plans")
    assert row is not None and json.loads(row[0]) == {
        "de": "Arbeit im Lager",
        "uk": "Робота на складі",
    }


def test_every_error_is_listed_with_its_json_path() -> None:
    bad = sample_customer("12A3")
    bad["appointments"][0]["starts_at"] = "2026-12-02T09:30:00"
    bad["shoe_size"] = 44
    other = sample_customer()
    del other["name"]
    dup = sample_customer("999Z999999")
    again = sample_customer("999z999999")
    errors = errors_of({"customers": [bad, other, dup, again]})
    assert (
        "customers[0].customer_number: must look like 123A123456 (3 digits, 1 letter, 6 digits)"
        in errors
    )
    assert any(
        e.startswith(
            "customers[0].appointments[0].starts_at: needs an ISO 8601 time with UTC offset"
        )
        for e in errors
    )
    assert "customers[0].shoe_size: unknown key" in errors
    assert "customers[1].name: is required" in errors
    assert "customers[3].customer_number: duplicate of customers[2]" in errors


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"customers": [', "line 1, column 16"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"customers": [], "customers": []}', "customers: appears twice"),
    ],
)
def test_broken_files_are_explained(raw: bytes, expected: str) -> None:
    with pytest.raises(ImportErrors) as err:
        parse_document(load_json(raw))
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"plan": {"goal": ""}}, "customers[0].plan.goal: must not be empty"),
        (
            {"plan": {"goal": {"uk": "x"}}},
            'customers[0].plan.goal: needs the German text under "de"',
        ),
        ({"plan": {"goal": "x" * 301}}, "customers[0].plan.goal: is longer than 300 characters"),
        (
            {"plan": {"goal": "x", "agreed_on": "20.11.2026"}},
            "customers[0].plan.agreed_on: needs an ISO 8601 date",
        ),
        (
            {"appointments": [{"id": "a b", "starts_at": "2026-12-02T09:30:00Z", "topic": "x"}]},
            "customers[0].appointments[0].id: must be an id",
        ),
        ({"appointments": "tomorrow"}, "customers[0].appointments: must be a list"),
        ({"locale": "Deutsch"}, "customers[0].locale: must be a language code"),
        ({"contact": {"phone": "1"}}, "customers[0].contact.name: is required"),
    ],
)
def test_field_errors(change: dict[str, Any], expected: str) -> None:
    errors = errors_of(document(sample_customer(**change)))
    assert any(e.startswith(expected) for e in errors), errors


def test_document_must_be_an_object_with_customers() -> None:
    assert errors_of([]) == ["must be a JSON object"]
    assert errors_of({}) == ["customers: is required"]


async def test_control_characters_are_removed_from_texts(db: Database, clock: FakeClock) -> None:
    customer = sample_customer(name="Max\x00 Muster\x1bmann")
    await import_doc(db, clock, document(customer))
    row = await db.fetchone("SELECT name FROM customers")
    assert row is not None and row[0] == "Max Mustermann"


async def test_past_appointments_left_out_of_a_later_file_are_not_cancelled(
    db: Database, clock: FakeClock
) -> None:
    await import_doc(db, clock, document())
    clock.advance(timedelta(days=10))  # the appointment of 2 December is over
    summary = await import_doc(db, clock, document(sample_customer(appointments=[])))
    assert summary.appointments_cancelled == 0
    assert await count(db, "appointments", "status = 'scheduled'") == 1


async def test_left_out_contact_and_locale_are_kept(db: Database, clock: FakeClock) -> None:
    await import_doc(db, clock, document())
    partial = sample_customer(name="Max Muster-Mann")
    del partial["contact"], partial["locale"]
    await import_doc(db, clock, document(partial))
    row = await db.fetchone("SELECT name, locale, contact_id FROM customers")
    assert row is not None and row["name"] == "Max Muster-Mann"
    assert row["locale"] == "de" and row["contact_id"] is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            json.dumps(
                document(
                    sample_customer(
                        appointments=[
                            {"id": "T", "starts_at": "0001-01-01T00:30:00+01:00", "topic": "x"}
                        ]
                    )
                )
            ).encode(),
            "starts_at: needs an ISO 8601 time",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_extreme_files_are_refused_with_a_message(raw: bytes, expected: str) -> None:
    with pytest.raises(ImportErrors) as err:
        parse_document(load_json(raw))
    assert expected in str(err.value)
