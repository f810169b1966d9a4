"""Kooperationsplan-Bot: a Telegram bot for customers of German Jobcenters."""

__version__ = "0.1.0"
