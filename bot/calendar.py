"""Calendar files (.ics) for appointments, made with the `icalendar` library.

The UID is stable per appointment, so a moved appointment imported into a calendar again
updates the same event (SEQUENCE counts the changes); times carry the Jobcenter's time
zone with its VTIMEZONE, and an alarm rings before the appointment.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

PRODUCT_ID = "-//Kooperationsplan-Bot//Appointments//DE"
DEFAULT_DURATION = timedelta(hours=1)
ALARM_BEFORE = timedelta(hours=2)


def appointment_uid(appointment_id: int) -> str:
    return f"appointment-{appointment_id}@kooperationsplan-bot"


def appointment_ics(
    *,
    appointment_id: int,
    sequence: int,
    starts_at: datetime,
    tz: ZoneInfo,
    summary: str,
    location: str | None,
    description: str,
    alarm_text: str,
    cancelled: bool = False,
    stamp: datetime,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", appointment_uid(appointment_id))
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    local = starts_at.astimezone(tz)
    event.add("dtstart", local)
    event.add("dtend", local + DEFAULT_DURATION)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", alarm_text)
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
