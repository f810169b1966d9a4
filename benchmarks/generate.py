"""Generate an exchange-format document with many customers (for benchmarks)."""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

TOPICS = ["Beratungsgespräch", "Bewerbungstraining", "Termin beim Ärztlichen Dienst", "Workshop"]
PLACES = ["Jobcenter, Raum 2.14", "Jobcenter, Raum 1.03", "Bildungszentrum, Hauptstraße 5"]


def customer_number(i: int) -> str:
    return f"{i % 1000:03d}{chr(65 + (i // 1000) % 26)}{i:06d}"[:10]


def generate(count: int, appointments_each: int = 3, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    customers = []
    for i in range(count):
        appointments = [
            {
                "id": f"T-{i}-{k}",
                "starts_at": (
                    start + timedelta(days=rng.randint(0, 90), minutes=30 * rng.randint(0, 16))
                ).isoformat(),
                "topic": rng.choice(TOPICS),
                "location": rng.choice(PLACES),
                "with": f"Frau Beispiel {i % 300}",
                "bring": "Lebenslauf",
            }
            for k in range(appointments_each)
        ]
        customers.append(
            {
                "customer_number": customer_number(i),
                "name": f"Kundin {i} Beispiel",
                "locale": rng.choice(["de", "en", "uk", "ar", "tr"]),
                "contact": {"name": f"Frau Beispiel {i % 300}", "phone": f"0123/456-{i % 300:03d}"},
                "plan": {
                    "goal": "Arbeit als Fachkraft für Lagerlogistik",
                    "interim_goal": "Einen Kitaplatz finden",
                    "next_steps": [
                        {
                            "id": "S1",
                            "text": "Am Bewerbungstraining teilnehmen",
                            "due": "2027-01-15",
                        },
                        {"id": "S2", "text": "Lebenslauf aktualisieren"},
                    ],
                    "jobcenter_support": ["Übernahme der Bewerbungskosten"],
                    "other_support": ["Migrationsberatung vor Ort"],
                    "agreed_on": "2026-11-20",
                    "review_on": "2027-02-20",
                },
                "appointments": appointments,
            }
        )
    return {"customers": customers}


if __name__ == "__main__":
    json.dump(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000), sys.stdout)
