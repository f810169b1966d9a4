"""Understanding typed questions: which intent a customer's message has.

`match(text, locale)` normalises the text and compares it with example phrases shipped
as data files (`bot/intents/data/<language>.txt`), using rapidfuzz for typos. Adding a
language means adding a data file (and a labelled question set in the tests).
"""

from bot.intents.matcher import Match, Matcher, default_matcher, match
from bot.intents.normalise import normalise

# Every intent the bot answers (see dialogs/questions.py); "none" is the fallback.
INTENTS: tuple[str, ...] = (
    "greeting",
    "thanks",
    "what_is_plan",
    "how_it_works",
    "plan_contents",
    "binding",
    "cannot_keep",
    "sick",
    "cannot_come",
    "conciliation",
    "change_plan",
    "show_plan",
    "my_goal",
    "my_steps",
    "next_appointment",
    "contact_phone",
    "talk_to_person",
    "change_language",
    "privacy",
    "help",
    "connect",
)

__all__ = ["INTENTS", "Match", "Matcher", "default_matcher", "match", "normalise"]
