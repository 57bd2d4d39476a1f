"""Replay throughput on the embedded broker, against a bare read of the same log.

    python bench/replay.py [--sizes 100000 1000000] [--runs 3] [--places 2000]

For each size N: a fresh embedded broker (noida-db) gets the benchmarks' synthetic
event log of N events (``bench/corpus.py``, as ``bench/processor.py`` uses), then,
one after the other and ``--runs`` times each:

1. bare read: an aiokafka consumer (no group) reads every partition from its
   start to its end offsets, and does nothing with the records;
2. replay: what ``sitrep replay`` does, ``services.audit.replay.rebuild``: the
   same read, each value decoded into a ``SituationEvent``, and the view
   rebuilt with the processor's fold (``domain.fold.replay``).

Printed: events/s of each (median of the runs) and their ratio. Both run in
this process; the CPU time per event is printed too.

Then the memory of a rebuilt view: ``--view-places`` places (100,000 by
default) with two events each, folded by ``replay`` and measured with
``tracemalloc`` (the events the view keeps included: a place view keeps its
events, to fold a late one into its history).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corpus import fresh_topic, synthetic_event, synthetic_records  # bench/, this script's folder

from domain.fold import replay
from schemas.event import SituationEvent
from schemas.topics import EVENTS
from services.audit.replay import rebuild
from services.shared.kafka import read_to_end
from services.shared.knowledge import ensure_cache
from services.shared.rules import build_rules
from services.shared.settings import ProcessorSettings, SitrepSettings


@dataclass(frozen=True)
class Pass:
    events: int
    seconds: float
    cpu_s: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def cpu_us_per_event(self) -> float:
        return self.cpu_s / self.events * 1e6


async def bare_read(settings: SitrepSettings) -> Pass:
    started, cpu = time.perf_counter(), time.process_time()
    count = 0
    async for _ in read_to_end(settings, EVENTS.name):
        count += 1
    return Pass(count, time.perf_counter() - started, time.process_time() - cpu)


async def replay_pass(settings: SitrepSettings) -> tuple[Pass, int]:
    rules = build_rules(ProcessorSettings())
    started, cpu = time.perf_counter(), time.process_time()
    states, log = await rebuild(settings, rules, progress=False)
    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    return Pass(len(log.recorded), elapsed, used), len(states)


async def measure_size(size: int, places: int, runs: int) -> None:
    records = synthetic_records(size, places)
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-replay-") as tmp:
        broker, settings, _ = await fresh_topic(Path(tmp), records)
        del records
        try:
            bare: list[Pass] = []
            replays: list[Pass] = []
            rebuilt = 0
            for run in range(runs):
                gc.collect()
                bare.append(await bare_read(settings))
                gc.collect()
                done, rebuilt = await replay_pass(settings)
                replays.append(done)
                print(
                    f"  {size:,} events, run {run + 1}: bare read {bare[-1].rate:,.0f}/s, "
                    f"replay {replays[-1].rate:,.0f}/s",
                    file=sys.stderr,
                )
        finally:
            await asyncio.get_running_loop().run_in_executor(None, broker.stop)
    for name, passes in (("bare read", bare), ("replay", replays)):
        assert all(p.events == size for p in passes), f"{name} read {[p.events for p in passes]} of {size}"
    bare_rate = statistics.median(p.rate for p in bare)
    replay_rate = statistics.median(p.rate for p in replays)
    print(
        f"{size:>9,} events ({rebuilt:,} places): bare read {bare_rate:>9,.0f} ev/s "
        f"({statistics.median(p.cpu_us_per_event for p in bare):.0f} µs CPU/ev); "
        f"replay {replay_rate:>7,.0f} ev/s "
        f"({statistics.median(p.cpu_us_per_event for p in replays):.0f} µs CPU/ev); "
        f"replay / bare read = {replay_rate / bare_rate:.3f}"
    )
    verdict = "met" if replay_rate >= 20_000 and replay_rate / bare_rate >= 0.5 else "NOT met"
    print(f"{'':>9}  target ≥ 20,000 ev/s and ≥ 0.5 of the bare read: {verdict}")


def view_memory(places: int) -> None:
    """Bytes allocated to replay a log of ``places`` places, two events each: the
    events decoded from their records (a place view keeps its events, to fold a
    late one into its history), the fold's structures and the states."""
    import random

    from corpus import SEED, conflict_places

    from domain.actors import source_of
    from services.shared.codec import decode, encode
    from services.shared.knowledge import load_registry

    rng = random.Random(SEED)
    registry = load_registry()
    fronts = conflict_places(registry, 5_000, rng)
    sources = [source_of(s) for s in registry.sources]
    records: list[bytes] = []
    for n in range(places):
        front = fronts[n % len(fronts)]
        # Distinct places beyond the gazetteer's: same coordinates, own ids.
        front.place = front.place.model_copy(update={"id": f"bench:{n}", "name": f"{front.place.name} {n}"})
        records.extend(encode(synthetic_event(2 * n + i, 2 * places, front, sources, rng)) for i in range(2))
    rules = build_rules(ProcessorSettings())
    gc.collect()
    tracemalloc.start()
    views, _ = replay((decode(r, SituationEvent) for r in records), rules)
    states = {key: view.state for key, view in views.items()}  # what sitrep replay and the API hold
    total = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_100k = total / len(states) * 100_000 / 2**20
    print(
        f"view memory: {len(states):,} places from {len(records):,} events: {total / 2**20:,.0f} MiB "
        f"allocated (events, fold, states), {per_100k:,.0f} MiB per 100,000 places"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="log sizes")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    ap.add_argument("--places", type=int, default=2_000, help="distinct places in the log (default 2,000)")
    ap.add_argument("--view-places", type=int, default=100_000, help="places of the memory measurement")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_cache()
    for size in args.sizes:
        asyncio.run(measure_size(size, args.places, args.runs))
    view_memory(args.view_places)
    return 0


if __name__ == "__main__":
    sys.exit(main())
