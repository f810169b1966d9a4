"""Validation of the exchange format: every error with its JSON path, nothing half-read.

`parse_document` returns normalised records (times in UTC, texts as {"de": ...} maps,
control characters removed) or the complete list of errors.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from bot.text import clean_input

CUSTOMER_NUMBER = re.compile(r"^\d{3}[A-Z]\d{6}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

# Limits keep every screen inside Telegram's 4096 characters and the database lean.
MAX_NAME = 200
MAX_SHORT = 300
MAX_LONG = 1000
MAX_STEPS = 30
MAX_APPOINTMENTS = 100
MAX_SUPPORT_ITEMS = 20
MAX_ERRORS_SHOWN = 200

Texts = dict[str, str]


@dataclass(frozen=True)
class ContactIn:
    name: str
    phone: str


@dataclass(frozen=True)
class StepIn:
    ext_id: str
    text: Texts
    due: date | None


@dataclass(frozen=True)
class PlanIn:
    goal: Texts
    interim_goal: Texts | None
    next_steps: tuple[StepIn, ...]
    jobcenter_support: tuple[Texts, ...]
    other_support: tuple[Texts, ...]
    other_notes: Texts | None
    agreed_on: date | None
    review_on: date | None


@dataclass(frozen=True)
class AppointmentIn:
    ext_id: str
    starts_at: datetime  # UTC
    topic: Texts
    location: Texts | None
    with_name: str | None
    bring: Texts | None


@dataclass(frozen=True)
class CustomerIn:
    customer_number: str
    name: str
    locale: str | None
    contact: ContactIn | None
    # `None` with has_plan: the plan was removed; has_plan False: key absent, keep as is.
    plan: PlanIn | None
    has_plan: bool
    appointments: tuple[AppointmentIn, ...] | None  # None: key absent, keep as is
    has_locale: bool = True  # False: key absent, keep what is stored
    has_contact: bool = True
    # sha256 of the record as given: equal hashes mean nothing to do for this customer.
    source_hash: str = ""


@dataclass
class ImportErrors(Exception):
    errors: list[str] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def __str__(self) -> str:
        shown = self.errors[:MAX_ERRORS_SHOWN]
        more = len(self.errors) - len(shown)
        return "\n".join(shown + ([f"... and {more} more errors"] if more > 0 else []))


class _DuplicateKeys(dict[str, Any]):
    """A JSON object in which some key appeared twice."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    duplicates = []
    for key, value in pairs:
        if key in result:
            duplicates.append(key)
        result[key] = value
    if duplicates:
        marked = _DuplicateKeys(result)
        marked.duplicates = duplicates
        return marked
    return result


def load_json(raw: bytes | str) -> Any:
    """Parse JSON; syntax errors become ImportErrors with line and column."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        return json.loads(text, object_pairs_hook=_pairs)
    except UnicodeDecodeError:
        raise ImportErrors(["the file is not UTF-8 text"]) from None
    except json.JSONDecodeError as err:
        raise ImportErrors([f"line {err.lineno}, column {err.colno}: {err.msg}"]) from None
    except RecursionError:
        raise ImportErrors(["the document is nested too deeply"]) from None


def parse_document(doc: Any) -> list[CustomerIn]:
    errors = ImportErrors()
    customers = _Reader(errors).document(doc)
    if errors.errors:
        raise errors
    return customers


class _Reader:
    def __init__(self, errors: ImportErrors) -> None:
        self.errors = errors

    def document(self, doc: Any) -> list[CustomerIn]:
        if not self._object(doc, "", {"customers"}, {"customers"}):
            return []
        items = doc["customers"]
        if not isinstance(items, list):
            self.errors.add("customers", "must be a list")
            return []
        seen: dict[str, int] = {}
        result = []
        for index, item in enumerate(items):
            path = f"customers[{index}]"
            customer = self.customer(item, path)
            if customer is None:
                continue
            number = customer.customer_number
            if number in seen:
                self.errors.add(
                    f"{path}.customer_number", f"duplicate of customers[{seen[number]}]"
                )
                continue
            seen[number] = index
            result.append(customer)
        return result

    def customer(self, item: Any, path: str) -> CustomerIn | None:
        known = {"customer_number", "name", "locale", "contact", "plan", "appointments"}
        if not self._object(item, path, known, {"customer_number", "name"}):
            return None
        before = len(self.errors.errors)
        number = self.customer_number(item["customer_number"], f"{path}.customer_number")
        name = self.string(item["name"], f"{path}.name", MAX_NAME)
        locale = self.optional(item, "locale", path, self.language)
        contact = self.optional(item, "contact", path, self.contact)
        plan = self.optional(item, "plan", path, self.plan)
        appointments = self.optional(item, "appointments", path, self.appointments)
        if len(self.errors.errors) > before or number is None or name is None:
            return None
        canonical = json.dumps(item, sort_keys=True, ensure_ascii=False).encode()
        return CustomerIn(
            source_hash=hashlib.sha256(canonical).hexdigest(),
            customer_number=number,
            name=name,
            locale=locale,
            contact=contact,
            plan=plan,
            has_plan="plan" in item,
            has_locale="locale" in item,
            has_contact="contact" in item,
            appointments=tuple(appointments) if appointments is not None else None,
        )

    def customer_number(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.errors.add(path, "must be a string like 123A123456")
            return None
        number = value.strip().upper()
        if not CUSTOMER_NUMBER.match(number):
            self.errors.add(path, "must look like 123A123456 (3 digits, 1 letter, 6 digits)")
            return None
        return number

    def language(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not LANGUAGE_CODE.match(value):
            self.errors.add(path, "must be a language code such as de, en or uk")
            return None
        return value

    def contact(self, value: Any, path: str) -> ContactIn | None:
        if not self._object(value, path, {"name", "phone"}, {"name"}):
            return None
        name = self.string(value["name"], f"{path}.name", MAX_NAME)
        phone = self.optional(value, "phone", path, lambda v, p: self.string(v, p, 50))
        return ContactIn(name, phone or "") if name is not None else None

    def plan(self, value: Any, path: str) -> PlanIn | None:
        known = {
            "goal",
            "interim_goal",
            "next_steps",
            "jobcenter_support",
            "other_support",
            "other_notes",
            "agreed_on",
            "review_on",
        }
        if value is None:
            return None
        if not self._object(value, path, known, {"goal"}):
            return None
        goal = self.texts(value["goal"], f"{path}.goal", MAX_SHORT)
        steps = self.optional(value, "next_steps", path, self.steps) or []
        support = self.optional(value, "jobcenter_support", path, self.text_list) or []
        other = self.optional(value, "other_support", path, self.text_list) or []
        agreed = self.optional(value, "agreed_on", path, self.date)
        review = self.optional(value, "review_on", path, self.date)
        if agreed and review and review < agreed:
            self.errors.add(f"{path}.review_on", "is before agreed_on")
        if goal is None:
            return None
        return PlanIn(
            goal=goal,
            interim_goal=self.optional(
                value, "interim_goal", path, lambda v, p: self.texts(v, p, MAX_SHORT)
            ),
            next_steps=tuple(steps),
            jobcenter_support=tuple(support),
            other_support=tuple(other),
            other_notes=self.optional(
                value, "other_notes", path, lambda v, p: self.texts(v, p, MAX_LONG)
            ),
            agreed_on=agreed,
            review_on=review,
        )

    def steps(self, value: Any, path: str) -> list[StepIn] | None:
        items = self._list(value, path, MAX_STEPS)
        result: list[StepIn] = []
        ids: set[str] = set()
        for index, item in enumerate(items):
            p = f"{path}[{index}]"
            if not self._object(item, p, {"id", "text", "due"}, {"id", "text"}):
                continue
            ext_id = self.ext_id(item["id"], f"{p}.id", ids)
            text = self.texts(item["text"], f"{p}.text", MAX_SHORT)
            due = self.optional(item, "due", p, self.date)
            if ext_id is not None and text is not None:
                result.append(StepIn(ext_id, text, due))
        return result

    def appointments(self, value: Any, path: str) -> list[AppointmentIn] | None:
        items = self._list(value, path, MAX_APPOINTMENTS)
        known = {"id", "starts_at", "topic", "location", "with", "bring"}
        result: list[AppointmentIn] = []
        ids: set[str] = set()
        for index, item in enumerate(items):
            p = f"{path}[{index}]"
            if not self._object(item, p, known, {"id", "starts_at", "topic"}):
                continue
            ext_id = self.ext_id(item["id"], f"{p}.id", ids)
            starts = self.time(item["starts_at"], f"{p}.starts_at")
            topic = self.texts(item["topic"], f"{p}.topic", MAX_NAME)

            def short(v: Any, q: str) -> Texts | None:
                return self.texts(v, q, MAX_SHORT)

            location = self.optional(item, "location", p, short)
            with_name = self.optional(item, "with", p, lambda v, q: self.string(v, q, MAX_NAME))
            bring = self.optional(item, "bring", p, short)
            if ext_id is not None and starts is not None and topic is not None:
                result.append(AppointmentIn(ext_id, starts, topic, location, with_name, bring))
        return result

    def text_list(self, value: Any, path: str) -> list[Texts] | None:
        items = self._list(value, path, MAX_SUPPORT_ITEMS)
        texts = [self.texts(item, f"{path}[{i}]", MAX_SHORT) for i, item in enumerate(items)]
        return [t for t in texts if t is not None]

    def ext_id(self, value: Any, path: str, seen: set[str]) -> str | None:
        if not isinstance(value, str) or not EXTERNAL_ID.match(value):
            self.errors.add(path, "must be an id of letters, digits and . _ : / - (max 64)")
            return None
        if value in seen:
            self.errors.add(path, f"duplicate id '{value}'")
            return None
        seen.add(value)
        return value

    def texts(self, value: Any, path: str, limit: int) -> Texts | None:
        """A German text, or an object of language code to text with German required."""
        if isinstance(value, str):
            text = self.string(value, path, limit)
            return {"de": text} if text is not None else None
        if not isinstance(value, dict):
            self.errors.add(path, 'must be a text or an object like {"de": "...", "uk": "..."}')
            return None
        self._duplicates(value, path)
        result: Texts = {}
        for code, text in value.items():
            if not LANGUAGE_CODE.match(code):
                self.errors.add(f"{path}.{code}", "is not a language code")
                continue
            cleaned = self.string(text, f"{path}.{code}", limit)
            if cleaned is not None:
                result[code] = cleaned
        if "de" not in value:
            self.errors.add(path, 'needs the German text under "de"')
            return None
        return result if len(result) == len(value) else None

    def string(self, value: Any, path: str, limit: int) -> str | None:
        if not isinstance(value, str):
            self.errors.add(path, "must be a text")
            return None
        text = clean_input(value)
        if not text:
            self.errors.add(path, "must not be empty")
            return None
        if len(text) > limit:
            self.errors.add(path, f"is longer than {limit} characters")
            return None
        return text

    def date(self, value: Any, path: str) -> date | None:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.errors.add(path, "needs an ISO 8601 date (YYYY-MM-DD)")
        return None

    def time(self, value: Any, path: str) -> datetime | None:
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            if parsed is not None and parsed.tzinfo is not None:
                try:
                    return parsed.astimezone(UTC)
                except OverflowError:
                    pass  # a time at the very edge of the calendar
        self.errors.add(path, "needs an ISO 8601 time with UTC offset (2026-12-02T09:30:00+01:00)")
        return None

    def optional(
        self, obj: dict[str, Any], key: str, path: str, read: Callable[[Any, str], Any]
    ) -> Any:
        if key not in obj or (obj[key] is None and key != "plan"):
            return None
        return read(obj[key], f"{path}.{key}" if path else key)

    def _list(self, value: Any, path: str, limit: int) -> list[Any]:
        if not isinstance(value, list):
            self.errors.add(path, "must be a list")
            return []
        if len(value) > limit:
            self.errors.add(path, f"has {len(value)} entries, at most {limit} are allowed")
            return []
        return value

    def _object(self, value: Any, path: str, known: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.errors.add(path, "must be an object" if path else "must be a JSON object")
            return False
        self._duplicates(value, path)
        prefix = f"{path}." if path else ""
        for key in value:
            if key not in known:
                self.errors.add(f"{prefix}{key}", "unknown key")
        missing = sorted(k for k in required if k not in value or value[k] is None)
        for key in missing:
            self.errors.add(f"{prefix}{key}", "is required")
        return not missing

    def _duplicates(self, value: dict[str, Any], path: str) -> None:
        if isinstance(value, _DuplicateKeys):
            prefix = f"{path}." if path else ""
            for key in value.duplicates:
                self.errors.add(f"{prefix}{key}", "appears twice")
