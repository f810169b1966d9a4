"""Matching a typed question to an intent by its words, tolerant of typos.

Each language's example phrases become an index of words. A word found in the examples
of few intents says a lot ("krank", "schlichtung"); one found in many, or listed as a
stop word in the data file, says little: words are weighted by inverse intent frequency.
A typed word that is not known stands for the closest known words: rapidfuzz finds them
by edit distance (typos) or by shared beginnings and endings (inflections, German
compounds). An intent then scores the F1 of two shares: how much of the question its
words explain (precision) and how much of its best-fitting example the question
contains (recall). Below the threshold nothing matches, so gibberish and off-topic
questions get the fallback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Postfix, Prefix

from bot.intents.normalise import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
THRESHOLD = 0.45  # below this score a question is not understood
UNKNOWN_WEIGHT = 3.0  # an unknown word ("weather") makes a question less clearly ours
STOP_WEIGHT = 0.1
AFFIX_SURENESS = 0.85
# Questions in German or English are understood in any language, a little less readily.
OTHER_LANGUAGE = 0.8
MAX_CACHED = 20_000  # looked-up unknown words kept per language
MAX_INPUT = 300  # characters compared; questions are short, pasted letters are not
STOPWORDS = "_stopwords"  # the data block of words that carry little meaning
SPELLINGS = "_spellings"  # the data block of short forms: `cant = can not`
# "hallo, wann ist mein termin": the greeting is politeness, the question is the point.
SMALL_TALK = frozenset({"greeting", "thanks"})
_BLOCK = re.compile(r"^\[([a-z_]+)\]$")

Candidates = tuple[tuple[str, float], ...]  # known words a typed word may stand for


@dataclass(frozen=True)
class Match:
    intent: str
    score: float
    language: str


def parse_examples(text: str) -> list[tuple[str, str]]:
    """`[intent]` headers, one example phrase a line, `#` comments; returns normalised pairs."""
    examples: list[tuple[str, str]] = []
    intent: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _BLOCK.match(line)
        if header:
            intent = header.group(1)
            continue
        if intent is None:
            raise ValueError(f"line {number}: example before any [intent] header")
        if intent == SPELLINGS:
            written, equals, meant = line.partition("=")
            if not equals or len(normalise(written).split()) != 1 or not normalise(meant):
                raise ValueError(f"line {number}: a spelling is `word = meant words`")
            examples.append((intent, f"{normalise(written)} {normalise(meant)}"))
            continue
        phrase = normalise(line)
        if phrase:
            examples.append((intent, phrase))
    return examples


class LanguageIndex:
    """One language's examples, their words and word weights."""

    def __init__(self, examples: Sequence[tuple[str, str]]) -> None:
        self.spellings = {
            phrase.split()[0]: phrase.split()[1:]
            for intent, phrase in examples
            if intent == SPELLINGS
        }
        stopwords = {
            w for intent, phrase in examples if intent == STOPWORDS for w in phrase.split()
        }
        self.examples = [
            (intent, frozenset(self.spelled_out(phrase.split())))
            for intent, phrase in examples
            if intent not in (STOPWORDS, SPELLINGS)
        ]
        intents_of: dict[str, set[str]] = {}
        self.vocabulary_of: dict[str, set[str]] = {}
        self.examples_of: dict[str, list[frozenset[str]]] = {}
        for intent, words in self.examples:
            self.vocabulary_of.setdefault(intent, set()).update(words)
            self.examples_of.setdefault(intent, []).append(words)
            for word in words:
                intents_of.setdefault(word, set()).add(intent)
        count = len(self.vocabulary_of) or 1
        # Squared log: a word of one intent outweighs a word of five by far.
        self.weight = {w: math.log(1 + count / len(i)) ** 2 for w, i in intents_of.items()}
        for word in stopwords:
            self.weight[word] = STOP_WEIGHT
        self.vocabulary = sorted(self.weight)
        self.small_talk = {w for w, i in intents_of.items() if i <= SMALL_TALK}
        self._lookups: dict[str, Candidates] = {}

    def spelled_out(self, words: Iterable[str]) -> list[str]:
        """Short forms replaced by what they mean ("cant" -> "can not")."""
        return [part for word in words for part in self.spellings.get(word, [word])]

    @property
    def intents(self) -> set[str]:
        return set(self.vocabulary_of)

    def lookup(self, word: str) -> Candidates:
        """The known words `word` may stand for, with how sure that is (1.0: exact)."""
        if word in self.weight:
            return ((word, 1.0),)
        if word not in self._lookups:
            if len(self._lookups) >= MAX_CACHED:
                self._lookups.clear()  # typed words are unbounded; memory is not
            self._lookups[word] = self._closest(word)
        return self._lookups[word]

    def _closest(self, word: str) -> Candidates:
        if len(word) < 3:
            return ()  # "ab" is not "an"
        cutoff = 85 if len(word) == 3 else 75 if len(word) < 8 else 72
        found: dict[str, float] = {}
        similar = process.extract(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
        )
        for known, score, _ in similar:
            if score >= similar[0][1] - 5:  # equally close words are all candidates
                found[known] = score / 100
        for known in self.vocabulary:
            shorter = min(len(word), len(known))
            start = Prefix.similarity(word, known)
            # Same stem ("schlichter", "schlichtung"), or a compound's head ("beratungstermin").
            stem = start >= 5 and start >= 0.75 * shorter
            head = len(known) >= 6 and Postfix.similarity(word, known) == len(known)
            if (stem or head) and found.get(known, 0.0) < AFFIX_SURENESS:
                found[known] = AFFIX_SURENESS
        best = sorted(found.items(), key=lambda item: item[1], reverse=True)
        return tuple(best[:3])

    def score(self, words: Iterable[str]) -> dict[str, float]:
        """Each intent's score for the question's words (only intents sharing a word)."""
        typed = [self.lookup(w) for w in set(self.spelled_out(words))]
        known = [c for c in typed if c]
        total = sum(max(self.weight[k] for k, _ in c) for c in known)
        total += UNKNOWN_WEIGHT * (len(typed) - len(known))
        sure: dict[str, float] = {}
        for candidates in known:
            for word, sureness in candidates:
                sure[word] = max(sureness, sure.get(word, 0.0))
        scores: dict[str, float] = {}
        for intent, vocabulary in self.vocabulary_of.items():
            explained = sum(
                max((self.weight[k] * s for k, s in c if k in vocabulary), default=0.0)
                for c in known
            )
            if not explained:
                continue
            precision = explained / total
            recall = max(self._recall(example, sure) for example in self.examples_of[intent])
            scores[intent] = 2 * precision * recall / (precision + recall) if recall else 0.0
        return scores

    def score_politely(self, words: Sequence[str]) -> dict[str, float]:
        """Scores of the question with and without its greetings and thanks, the better."""
        scores = self.score(words)
        content = [w for w in words if w not in self.small_talk]
        if content and len(content) < len(words):
            for intent, score in self.score(content).items():
                scores[intent] = max(score, scores.get(intent, 0.0))
        return scores

    def _recall(self, example: frozenset[str], sure: dict[str, float]) -> float:
        matched = sum(self.weight[w] * sure[w] for w in example if w in sure)
        return matched / sum(self.weight[w] for w in example)


class Matcher:
    """All languages' indexes; matches in the reader's language, German and English."""

    def __init__(self, indexes: dict[str, LanguageIndex], threshold: float = THRESHOLD) -> None:
        self.indexes = indexes
        self.threshold = threshold

    @classmethod
    def from_directory(cls, directory: Path = DATA_DIR) -> Matcher:
        indexes = {}
        for path in sorted(directory.glob("*.txt")):
            try:
                examples = parse_examples(path.read_text(encoding="utf-8"))
            except ValueError as err:
                raise ValueError(f"{path.name}: {err}") from None  # say which file
            indexes[path.stem] = LanguageIndex(examples)
        return cls(indexes)

    def languages_for(self, locale: str) -> list[str]:
        """The reader's language (or its base: `de-easy` reads `de`), then German, English."""
        own = locale if locale in self.indexes else locale.split("-")[0]
        return list(dict.fromkeys(c for c in (own, "de", "en") if c in self.indexes))

    def ranked(self, text: str, locale: str) -> list[Match]:
        """Every intent with a score, best first (for tests and tuning)."""
        words = normalise(text[:MAX_INPUT]).split()
        best: dict[str, Match] = {}
        languages = self.languages_for(locale)
        for language in languages:
            discount = 1.0 if language == languages[0] else OTHER_LANGUAGE
            for intent, raw in self.indexes[language].score_politely(words).items():
                score = raw * discount
                if intent not in best or score > best[intent].score:
                    best[intent] = Match(intent, score, language)
        return sorted(best.values(), key=lambda m: m.score, reverse=True)

    def match(self, text: str, locale: str) -> Match | None:
        """The intent of `text`, or None when nothing fits well enough."""
        ranked = self.ranked(text, locale)
        if not ranked or ranked[0].score < self.threshold:
            return None
        return ranked[0]


@cache
def default_matcher() -> Matcher:
    return Matcher.from_directory()


def match(text: str, locale: str) -> Match | None:
    return default_matcher().match(text, locale)
