"""Configuration from `KOBOT_*` environment variables, validated once at start.

Every problem becomes a `ConfigError` whose message is one line naming the variable, so
the CLI can print it and exit non-zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import SUPPORTED_LOCALES

TELEGRAM_API_URL = "https://api.telegram.org/bot"
_DURATION = re.compile(r"^\s*(\d{1,4})\s*([dhm])\s*$")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
NAME_STYLES = ("initial", "full", "none")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(Exception):
    """A one-line, operator-facing explanation of a bad setting."""


@dataclass(frozen=True)
class QuietHours:
    """Local hours in which nothing is pushed; may wrap midnight (21:00-07:00)."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True)
class Config:
    token: str | None = None
    api_url: str = TELEGRAM_API_URL
    db_path: Path = Path("kobot.sqlite3")
    caseworker_chat_id: int | None = None
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Berlin"))
    default_locale: str = "de"
    bot_username: str | None = None
    reminder_offsets: tuple[timedelta, ...] = (
        timedelta(days=7),
        timedelta(hours=24),
        timedelta(hours=2),
    )
    quiet_hours: QuietHours | None = QuietHours(time(21, 0), time(7, 0))
    step_reminder: timedelta = timedelta(days=3)
    conciliation_enabled: bool = True
    conciliation_weeks: int = 4
    group_name_style: str = "initial"  # how customers are named in the caseworker group
    take_reminder: timedelta = timedelta(hours=4)  # an untaken flag is posted again after

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError("KOBOT_TOKEN is not set: get a token from @BotFather and export it")
        return self.token

    @property
    def file_url(self) -> str:
        """PTB's base_file_url that belongs to `api_url` (`.../bot` -> `.../file/bot`)."""
        base = self.api_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"


def parse_duration(value: str, name: str) -> timedelta:
    match = _DURATION.match(value)
    if not match:
        raise ConfigError(f"{name}: '{value}' is not a duration like 7d, 24h or 30m")
    amount, unit = int(match.group(1)), match.group(2)
    return {"d": timedelta(days=amount), "h": timedelta(hours=amount)}.get(
        unit, timedelta(minutes=amount)
    )


def _offsets(value: str) -> tuple[timedelta, ...]:
    parts = [p for p in value.split(",") if p.strip()]
    if not parts:
        raise ConfigError("KOBOT_REMINDER_OFFSETS: give at least one offset, e.g. 7d,24h,2h")
    offsets = sorted({parse_duration(p, "KOBOT_REMINDER_OFFSETS") for p in parts}, reverse=True)
    if offsets[-1] <= timedelta(0):
        raise ConfigError("KOBOT_REMINDER_OFFSETS: offsets must be greater than zero")
    return tuple(offsets)


def _quiet_hours(value: str) -> QuietHours | None:
    if not value.strip():
        return None
    start, sep, end = value.strip().partition("-")
    a, b = _HHMM.match(start.strip()), _HHMM.match(end.strip())
    if not sep or not a or not b:
        raise ConfigError(f"KOBOT_QUIET_HOURS: '{value}' is not like 21:00-07:00 (or empty)")
    quiet = QuietHours(time(int(a[1]), int(a[2])), time(int(b[1]), int(b[2])))
    if quiet.start == quiet.end:
        raise ConfigError("KOBOT_QUIET_HOURS: start and end must differ (leave empty for none)")
    return quiet


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: '{value}' is not on or off")


def load_config(env: Mapping[str, str]) -> Config:
    """Read and validate the environment; raises ConfigError on the first bad value."""

    def get(name: str) -> str | None:
        value = env.get(name)
        return value if value is not None and value.strip() != "" else None

    kwargs: dict[str, object] = {}
    if token := get("KOBOT_TOKEN"):
        if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token.strip()):
            raise ConfigError("KOBOT_TOKEN: does not look like a bot token (digits:letters)")
        kwargs["token"] = token.strip()
    if api_url := get("KOBOT_API_URL"):
        if not re.match(r"^https?://", api_url):
            raise ConfigError(f"KOBOT_API_URL: '{api_url}' must start with http:// or https://")
        kwargs["api_url"] = api_url.strip()
    if db := get("KOBOT_DB"):
        kwargs["db_path"] = Path(db)
    if chat := get("KOBOT_CASEWORKER_CHAT_ID"):
        if not re.fullmatch(r"-?\d+", chat.strip()):
            raise ConfigError(f"KOBOT_CASEWORKER_CHAT_ID: '{chat}' is not a numeric chat id")
        kwargs["caseworker_chat_id"] = int(chat)
    if tz := get("KOBOT_TIMEZONE"):
        try:
            kwargs["timezone"] = ZoneInfo(tz.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"KOBOT_TIMEZONE: unknown time zone '{tz}'") from None
    if loc := get("KOBOT_DEFAULT_LOCALE"):
        if loc.strip() not in SUPPORTED_LOCALES:
            known = ", ".join(SUPPORTED_LOCALES)
            raise ConfigError(f"KOBOT_DEFAULT_LOCALE: '{loc}' is not one of {known}")
        kwargs["default_locale"] = loc.strip()
    if username := get("KOBOT_BOT_USERNAME"):
        username = username.strip().removeprefix("@")
        if not _USERNAME.match(username):
            raise ConfigError(f"KOBOT_BOT_USERNAME: '{username}' is not a Telegram username")
        kwargs["bot_username"] = username
    if (offsets := env.get("KOBOT_REMINDER_OFFSETS")) is not None:
        kwargs["reminder_offsets"] = _offsets(offsets)
    if (quiet := env.get("KOBOT_QUIET_HOURS")) is not None:
        kwargs["quiet_hours"] = _quiet_hours(quiet)
    if take := get("KOBOT_TAKE_REMINDER"):
        kwargs["take_reminder"] = parse_duration(take, "KOBOT_TAKE_REMINDER")
    if step := get("KOBOT_STEP_REMINDER"):
        kwargs["step_reminder"] = parse_duration(step, "KOBOT_STEP_REMINDER")
    if conciliation := get("KOBOT_CONCILIATION"):
        kwargs["conciliation_enabled"] = _flag(conciliation, "KOBOT_CONCILIATION")
    if weeks := get("KOBOT_CONCILIATION_WEEKS"):
        if not weeks.strip().isdigit() or not 1 <= int(weeks) <= 52:
            raise ConfigError(f"KOBOT_CONCILIATION_WEEKS: '{weeks}' is not a number of weeks")
        kwargs["conciliation_weeks"] = int(weeks)
    if style := get("KOBOT_GROUP_NAMES"):
        if style.strip() not in NAME_STYLES:
            raise ConfigError(
                f"KOBOT_GROUP_NAMES: '{style}' is not one of {', '.join(NAME_STYLES)}"
            )
        kwargs["group_name_style"] = style.strip()
    return Config(**kwargs)  # type: ignore[arg-type]
