"""Benchmark `kobot import`: 100,000 customers (300,000 appointments) in one file.

    python -m benchmarks.bench_import [COUNT]

Measures: parsing+validation, the first import (all new), an identical re-import (all
unchanged), and a re-import in which 1 % of the customers changed; plus peak memory.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from bot.clock import SystemClock
from bot.importing.apply import apply_import
from bot.importing.validate import load_json, parse_document
from bot.storage.db import Database


async def main(count: int) -> None:
    raw = json.dumps(generate(count)).encode()
    print(f"document: {count:,} customers, {3 * count:,} appointments, {len(raw) / 1e6:.0f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        clock = SystemClock()

        t0 = time.perf_counter()
        customers = parse_document(load_json(raw))
        t1 = time.perf_counter()
        print(f"parse + validate:        {t1 - t0:6.1f} s")

        summary = await apply_import(db, clock, customers)
        t2 = time.perf_counter()
        print(f"first import (all new):  {t2 - t1:6.1f} s  ({summary.customers_created:,} created)")

        summary = await apply_import(db, clock, customers)
        t3 = time.perf_counter()
        unchanged = summary.customers_unchanged
        print(f"identical re-import:     {t3 - t2:6.1f} s  ({unchanged:,} unchanged)")

        doc = json.loads(raw)
        for customer in doc["customers"][::100]:
            customer["appointments"][0]["starts_at"] = "2027-03-01T09:00:00+01:00"
            customer["plan"]["goal"] = "Ausbildung zur Pflegefachkraft"
        changed = parse_document(doc)
        t4 = time.perf_counter()
        summary = await apply_import(db, clock, changed)
        t5 = time.perf_counter()
        print(
            f"1 % changed re-import:   {t5 - t4:6.1f} s  ({summary.customers_updated:,} updated, "
            f"{summary.appointments_updated:,} appointments moved)"
        )
        await db.close()
        size = (Path(tmp) / "bench.sqlite3").stat().st_size
        print(f"database size:           {size / 1e6:6.0f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS):       {peak:6.0f} MB")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
