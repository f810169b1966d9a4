"""Texts whose content depends on the law, next to the facts in `bot.legal`.

The explanations, the answers to typed questions and later dialogs take these texts from
here, so a change of the law means a setting (`LegalFacts`) and a catalog update, not a
search through the dialogs.
"""

from __future__ import annotations

from bot.i18n import Html, Translator
from bot.legal import LegalFacts


def not_binding(t: Translator) -> Html:
    return t.gettext(
        "The Kooperationsplan is <b>not legally binding</b>. It is about trust and working "
        "together as partners."
    )


def agreements_matter(t: Translator) -> Html:
    return t.gettext(
        "Still, agreements are important. When you keep them, you come closer to your goal."
    )


def consequences(t: Translator) -> tuple[Html, ...]:
    """What follows when agreements or appointments are not kept."""
    return (
        t.gettext(
            "If you do not keep agreements or appointments and have no important reason, "
            "this can have consequences. An important reason (in German: "
            "<i>wichtiger Grund</i>) is a reason the Jobcenter accepts."
        ),
        t.gettext(
            "In a next step, the Jobcenter can then make your cooperation binding. For "
            "example: applying for jobs, taking part in a course, or coming to meetings."
        ),
        t.gettext(
            "If you then do not do it, or miss appointments without an important reason, "
            "your money can be reduced. This is called <i>Leistungsminderung</i> "
            "(reduction of benefits)."
        ),
    )


def missed_appointment(t: Translator) -> Html:
    # TRANSLATORS: the German legal terms stay in brackets so people recognise them in letters.
    return t.gettext(
        "If you miss an appointment without an important reason (wichtiger Grund), your "
        "benefits can be reduced (Leistungsminderung)."
    )


def tell_early(t: Translator) -> Html:
    return t.gettext(
        "If you cannot keep something, tell your contact person as early as possible. "
        "Together you find a solution."
    )


def conciliation_duration(t: Translator, facts: LegalFacts) -> Html:
    return t.ngettext(
        "It takes at most {count} week, so that your way into work is not held up.",
        "It takes at most {count} weeks, so that your way into work is not held up.",
        facts.conciliation_weeks,
    )


def conciliation_unavailable(t: Translator) -> Html:
    """Shown instead of everything about conciliation when the setting turns it off."""
    return t.gettext(
        "If you and your contact person cannot agree on your plan, please contact your "
        "Jobcenter. They will tell you what you can do."
    )
