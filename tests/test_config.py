"""Configuration: defaults, and one clear line for every bad value."""

from datetime import time, timedelta

import pytest

from bot.config import ConfigError, load_config


def test_defaults_follow_the_design() -> None:
    config = load_config({})
    assert config.token is None
    assert config.api_url == "https://api.telegram.org/bot"
    assert str(config.db_path) == "kobot.sqlite3"
    assert config.caseworker_chat_id is None
    assert config.timezone.key == "Europe/Berlin"
    assert config.default_locale == "de"
    assert config.reminder_offsets == (timedelta(days=7), timedelta(hours=24), timedelta(hours=2))
    assert config.quiet_hours is not None
    assert (config.quiet_hours.start, config.quiet_hours.end) == (time(21), time(7))
    assert config.step_reminder == timedelta(days=3)


def test_values_are_read() -> None:
    config = load_config(
        {
            "KOBOT_TOKEN": "123:abc",
            "KOBOT_API_URL": "http://127.0.0.1:8081/bot",
            "KOBOT_CASEWORKER_CHAT_ID": "-100123",
            "KOBOT_TIMEZONE": "Europe/Vienna",
            "KOBOT_DEFAULT_LOCALE": "en",
            "KOBOT_BOT_USERNAME": "@my_jobcenter_bot",
            "KOBOT_REMINDER_OFFSETS": "2h, 3d",
            "KOBOT_QUIET_HOURS": "",
            "KOBOT_STEP_REMINDER": "5d",
            "KOBOT_TAKE_REMINDER": "90m",
        }
    )
    assert config.take_reminder == timedelta(minutes=90)
    assert config.caseworker_chat_id == -100123
    assert config.bot_username == "my_jobcenter_bot"
    assert config.reminder_offsets == (timedelta(days=3), timedelta(hours=2))
    assert config.quiet_hours is None
    assert config.file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("KOBOT_TOKEN", "not a token"),
        ("KOBOT_API_URL", "ftp://x"),
        ("KOBOT_CASEWORKER_CHAT_ID", "team"),
        ("KOBOT_TIMEZONE", "Mars/Olympus"),
        ("KOBOT_DEFAULT_LOCALE", "xx"),
        ("KOBOT_BOT_USERNAME", "a b"),
        ("KOBOT_REMINDER_OFFSETS", "soon"),
        ("KOBOT_REMINDER_OFFSETS", "0h"),
        ("KOBOT_QUIET_HOURS", "22-6"),
        ("KOBOT_STEP_REMINDER", "3 weeks"),
        ("KOBOT_GROUP_NAMES", "nicknames"),
        ("KOBOT_TAKE_REMINDER", "soon"),
        ("KOBOT_CONCILIATION", "maybe"),
        ("KOBOT_CONCILIATION_WEEKS", "0"),
    ],
)
def test_bad_values_name_the_variable_in_one_line(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_config({name: value})
    message = str(err.value)
    assert message.startswith(name)
    assert "\n" not in message


def test_quiet_hours_wrap_midnight() -> None:
    quiet = load_config({"KOBOT_QUIET_HOURS": "21:00-07:00"}).quiet_hours
    assert quiet is not None
    assert quiet.contains(time(23, 30)) and quiet.contains(time(6, 59))
    assert not quiet.contains(time(7, 0)) and not quiet.contains(time(20, 59))


def test_run_without_token_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="KOBOT_TOKEN"):
        load_config({}).require_token()
