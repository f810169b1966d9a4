"""Folding what people type into a comparable form, for any script.

Lower case, no punctuation, no accents or vowel marks, German umlauts spelled out (so
"Grün", "gruen" and "grun" end up close), Arabic-script letter variants unified.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "'": "",
        "’": "",
        "`": "",
        "´": "",
        # Arabic and Persian keyboards type these letters differently.
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ـ": "",  # tatweel
        "ئ": "ی",
        "ۀ": "ه",
        "\u200c": "",  # zero-width non-joiner: "می‌خواهم" and "میخواهم" are one word
        "ʼ": "",  # Ukrainian apostrophe (обовʼязково)
        "ı": "i",  # Turkish dotless i, often typed as i
        # Arabic-Indic and Persian digits
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    # Folded again: removing marks can uncover a variant (ئ decomposes to Arabic ي).
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_FOLD)
    return " ".join(_NOT_WORD.sub(" ", bare).split())
