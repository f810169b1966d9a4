"""The walkthrough's pages as data: one idea per page, in the brochure's order.

Each page has an id (used in callback data and deep links such as
`/start explain_conciliation`), a title (page heading and topic list entry), a body and the
actions it leads to. Law-dependent wording comes from `bot.legal_texts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot import callbacks, legal_texts
from bot.i18n import N_, Translator
from bot.legal import LegalFacts
from bot.screen import Button

Body = Callable[[Translator, LegalFacts], tuple[str, ...]]


@dataclass(frozen=True)
class Page:
    id: str
    title: str  # an N_ message id
    body: Body
    # What the page leads to, for a linked customer; unlinked readers are offered linking.
    actions: Callable[[Translator, LegalFacts], tuple[Button, ...]] = lambda t, f: ()


def plan_button(t: Translator) -> Button:
    return Button(t.gettext("📋 Show my plan"), callbacks.build("plan", "show"))


def contact_button(t: Translator) -> Button:
    return Button(t.gettext("☎️ My contact person"), callbacks.build("contact", "show"))


def flag_button(t: Translator) -> Button:
    # Built by the flag dialog (another issue): tell the caseworker early.
    return Button(t.gettext("📣 I cannot keep something"), callbacks.build("flag", "new"))


def conciliation_button(t: Translator) -> Button:
    return Button(t.gettext("⚖️ Request conciliation"), callbacks.build("conc", "new"))


def connect_button(t: Translator) -> Button:
    return Button(t.gettext("🔗 How do I connect?"), callbacks.build("help", "link"))


def _idea(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (
        t.gettext(
            "The <b>Kooperationsplan</b> (cooperation plan) is your roadmap into work or "
            "training. You make it together with your contact person at the Jobcenter."
        ),
        t.gettext(
            "It is about you: your goal, your next steps, and how the Jobcenter helps you. "
            "Your wishes and your worries count. Together you look for solutions."
        ),
        t.gettext("Everything important is in one short plan. You see at a glance who does what."),
    )


def _steps(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (
        t.gettext(
            "In your first meeting, your contact person explains how you can reach them and "
            "what the Jobcenter offers."
        ),
        t.gettext(
            "<b>1. Your situation.</b> You talk about your life, your goals, your work "
            "experience and your strengths, and about what makes finding work hard for you."
        ),
        t.gettext(
            "<b>2. Your goal.</b> Together you look at your options, also other jobs. A "
            "vocational qualification or your own business can be a goal too."
        ),
        t.gettext(
            "<b>3. Your next steps.</b> You agree what you do next and how the Jobcenter "
            "helps. At later meetings you look together at what worked and change the plan "
            "if needed."
        ),
    )


def _contents(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    lines = (
        (
            t.gettext("🎯 <b>My goal</b>"),
            t.gettext("the job or training you want, or your own business."),
        ),
        (
            t.gettext("🚩 <b>First I want to reach</b>"),
            t.gettext("a goal on the way, for example a daycare place for your child."),
        ),
        (t.gettext("👣 <b>My next steps</b>"), t.gettext("for example a job application course.")),
        (
            t.gettext("🤝 <b>My Jobcenter supports me by</b>"),
            t.gettext("for example paying the costs of your applications."),
        ),
        (
            t.gettext("➕ <b>Also supporting me</b>"),
            t.gettext("other services, for example the local migration advice."),
        ),
        (
            t.gettext("💬 <b>What else matters</b>"),
            t.gettext("anything else important to you, for example needs in your family."),
        ),
    )
    return (
        t.gettext("Your plan can have these parts:"),
        "\n".join(f"{title}: {example}" for title, example in lines),
        t.gettext("You decide the contents together, so the plan fits your life."),
    )


def _together(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (legal_texts.not_binding(t), legal_texts.agreements_matter(t))


def _consequences(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return legal_texts.consequences(t)


def _early(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (
        t.gettext(
            "Maybe you cannot do a step, or you cannot come to an appointment. That can happen."
        ),
        legal_texts.tell_early(t),
        t.gettext("You can tell them here, or call them."),
    )


def conciliation(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (
        t.gettext(
            "Sometimes you and your contact person have different ideas when you make or "
            "extend your plan. If you find no solution together, you can ask for a "
            "<b>Schlichtungsverfahren</b> (conciliation)."
        ),
        t.gettext(
            "Then a neutral person talks with you both and helps you find a solution you can "
            "both accept."
        ),
        t.gettext(
            "This person was not part of your counselling before and takes no instructions "
            "from the Jobcenter."
        ),
    )


def conciliation_how(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (
        t.gettext("You can start it, your contact person can start it, or you both together."),
        legal_texts.conciliation_duration(t, facts),
        t.gettext("Your Jobcenter tells you more about it and how to start it."),
    )


def _conciliation_off(t: Translator, facts: LegalFacts) -> tuple[str, ...]:
    return (legal_texts.conciliation_unavailable(t),)


PAGES: tuple[Page, ...] = (
    Page("idea", N_("💡 What is a Kooperationsplan?"), _idea, lambda t, f: (plan_button(t),)),
    Page("steps", N_("🪜 How the plan is made"), _steps),
    Page("contents", N_("📝 What is in the plan"), _contents, lambda t, f: (plan_button(t),)),
    Page("together", N_("🤝 How we work together"), _together),
    Page(
        "consequences",
        N_("⚠️ If agreements are not kept"),
        _consequences,
        lambda t, f: (flag_button(t),),
    ),
    Page(
        "early",
        N_("📣 If you cannot keep something"),
        _early,
        lambda t, f: (flag_button(t), contact_button(t)),
    ),
    Page(
        "conciliation",
        N_("⚖️ If you do not agree: conciliation"),
        conciliation,
        lambda t, f: (conciliation_button(t),),
    ),
    Page(
        "conciliation_how",
        N_("⏱️ How conciliation works"),
        conciliation_how,
        lambda t, f: (conciliation_button(t), contact_button(t)),
    ),
)

# Replaces both conciliation pages when the setting turns conciliation off.
CONCILIATION_OFF = Page(
    "conciliation",
    N_("⚖️ If you do not agree with your plan"),
    _conciliation_off,
    lambda t, f: (contact_button(t),),
)


def pages(facts: LegalFacts) -> tuple[Page, ...]:
    """The walkthrough as the law and the settings have it today."""
    if facts.conciliation_available:
        return PAGES
    kept = tuple(p for p in PAGES if not p.id.startswith("conciliation"))
    return (*kept, CONCILIATION_OFF)


ALL_IDS: frozenset[str] = frozenset(p.id for p in PAGES)
