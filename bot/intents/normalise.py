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
    }
)
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare).split())
