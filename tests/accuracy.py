"""Top-1 accuracy of the question matcher per language, filled by tests/test_intents.py
and printed in pytest's terminal summary (see conftest.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    language: str
    correct: int
    total: int
    negatives_correct: int
    negatives: int

    @property
    def share(self) -> float:
        return self.correct / self.total

    def line(self) -> str:
        return (
            f"{self.language}: {self.share:.1%} top-1 ({self.correct}/{self.total} questions; "
            f"not-understood {self.negatives_correct}/{self.negatives})"
        )


RESULTS: dict[str, Accuracy] = {}
