"""Cleaning user text and fitting Telegram's limits."""

from bot.emulator.html_check import parse_html
from bot.text import clean_input, neutralise, shorten, split_message, utf16_len


def test_utf16_length_counts_like_telegram() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("👋") == 2


def test_clean_input_keeps_words_and_newlines_drops_controls() -> None:
    assert clean_input(" Hallo\x00 Welt\x1b[31m\nzweite Zeile\t ") == "Hallo Welt[31m\nzweite Zeile"


def test_neutralise_drops_bidi_and_invisible_characters() -> None:
    text = "Termin \u202eabc\u202c am \u2066Montag\u2069\u200b"
    assert neutralise(text) == "Termin abc am Montag"


def test_split_keeps_every_part_within_the_limit_and_valid() -> None:
    paragraph = "<b>Titel</b>\n" + "\n".join(f"• Punkt {i} mit etwas Text" for i in range(40))
    text = "\n\n".join([paragraph] * 8)
    parts = split_message(text, limit=1000)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= 1000
        parse_html(part)  # raises if a tag was cut
    assert "".join(parts).count("Punkt") == text.count("Punkt")


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("eins zwei drei vier", 12) == "eins zwei…"
    assert shorten("kurz", 12) == "kurz"


def test_capitalise_first_skips_marks_and_leaves_caseless_scripts() -> None:
    from bot.text import capitalise_first

    assert capitalise_first("\u2068четвер, 3 грудня\u2069") == "\u2068Четвер, 3 грудня\u2069"
    assert capitalise_first("الأربعاء") == "الأربعاء"
    assert capitalise_first("<b>x</b>") == "<b>x</b>"
