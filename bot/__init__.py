"""Kooperationsplan-Bot: a Telegram bot for customers of German Jobcenters."""

import os

# Opt in to python-telegram-bot's timedelta durations (retry_after etc.), the documented
# way ahead of its next major version; our code expects them.
os.environ.setdefault("PTB_TIMEDELTA", "1")

__version__ = "0.1.0"
