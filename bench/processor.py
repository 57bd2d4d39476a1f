"""Processor throughput on the embedded broker, against two bare baselines.

    python bench/processor.py [--events 100000] [--runs 3] [--places 2000] [--profile FILE]

Every run starts a fresh embedded broker (noida-db) in a temporary folder,
creates Sitrep's topics with the project's helper, and produces the same N
synthetic, valid ``SituationEvent``s to ``sitrep.events.v1``, keyed by place id
as ingest does: real GeoNames cities of the registry's conflict countries, each
held by one side and fought for by another (the conflict's government and a
rival from the registry), mixed actions (holds, advancing, denied,
claimed_control, captured), sources from the registry, in event-time order but
for 1% of late arrivals; fixed seed. Then, over that topic and one after the
other:

1. aiokafka-bare: an aiokafka consumer (no group) in this process reads every
   partition from its start to its end offset and decodes each value with the
   project's codec into a ``SituationEvent``.
2. faust-bare: a faust-streaming agent in a worker process of its own (fresh app
   id and group, web off, no leader topic, no table, memory store) that iterates
   the topic as the processor does (``take_events(batch_size, within)``) and only
   decodes each value.
3. processor: ``python -m services.cli processor``, the real processor,
   unchanged, in a process of its own with a fresh consumer group and data
   folder: decode, fold, publish each changed ``ControlState``, each new alert
   and what concerns a capital (its second agent folds that), flush once per
   batch.

Both worker processes import Sitrep from this checkout (``PYTHONPATH``), as
``bench/parse.py`` does, whatever the virtualenv's install points at.

The figure compared is the steady rate: events done after the first batch,
divided by the time from the end of the first batch to the end of the last one.
It leaves out start-up, the group join and the first fetch for all three alike:

- aiokafka-bare: a batch is one ``getmany()`` result of at most the
  processor's batch size (clock of this process).
- faust-bare: a batch is one ``take_events`` batch (wall clock in the worker,
  written to a result file).
- processor: it reports no times, so they are read from its output. Each record
  it publishes on ``sitrep.control.v1`` carries the place's ``version`` (events
  folded into that place) and a timestamp (ms, stamped by its producer at send);
  the events folded by time T are the sum over places of the highest version
  published by T. The first batch ends at the first control record; the last
  batch ends at the record that brings the sum to N. Completion is noticed
  when the processor's committed group offsets reach the end offsets (the lag
  that ``/readyz`` reports), then checked against the control topic.

Also printed: the rate including start-up, N divided by the time from starting
the consumer or launching the process to the last event done. The ratios
processor/faust-bare and processor/aiokafka-bare are taken between the medians
of the steady rates over the runs. The CPU time of each consumer's process in
the steady part (per event, and as cores busy) tells work from waiting.

With ``--profile FILE`` one more processor pass runs under cProfile after the
measured runs (its figures are not counted); the stats go to FILE and a
summary of where the main thread's time went is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus import Record, fresh_topic, synthetic_records  # bench/, the folder of this script

from schemas.event import SituationEvent
from schemas.topics import ALERTS, CAPITALS, CONTROL, EVENTS
from services.api.progress import ProcessorWatcher
from services.shared.codec import decode
from services.shared.kafka import (
    end_offsets,
    make_consumer,
    read_to_end,
    total_records,
)
from services.shared.knowledge import ensure_cache
from services.shared.processes import stop_child
from services.shared.settings import ProcessorSettings, SitrepSettings

RESULT_POLL_S = 0.05
LAG_POLL_S = 0.25
SCRIPT = Path(__file__).resolve()  # the faust-bare worker is this script, run again
ROOT = SCRIPT.parent.parent


# --- what a measurement yields --------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Wall-clock marks of one pass over the topic (seconds), and the CPU it used."""

    events: int  # every event of the topic
    after_first_batch: int  # events done after the first batch ended
    started: float  # consumer started / process launched
    first_batch_done: float
    last_done: float
    steady_cpu_s: float  # CPU seconds (all threads) from the first batch's end to the last's

    @property
    def steady_rate(self) -> float:
        span = self.last_done - self.first_batch_done
        return self.after_first_batch / span if span > 0 else float("nan")  # one batch: no figure

    @property
    def rate_with_startup(self) -> float:
        return self.events / (self.last_done - self.started)

    @property
    def cpu_per_event_us(self) -> float:
        return self.steady_cpu_s / self.after_first_batch * 1e6 if self.after_first_batch else float("nan")

    @property
    def cores(self) -> float:
        """CPU use during the steady part: 1.0 is one core busy all the time."""
        span = self.last_done - self.first_batch_done
        return self.steady_cpu_s / span if span > 0 else float("nan")


# --- 1. aiokafka-bare -----------------------------------------------------------------------------


async def aiokafka_decode_pass(settings: SitrepSettings, expected: int) -> Timing:
    """Read the events topic from its start to its end offsets with a bare
    aiokafka consumer, decoding each value into a ``SituationEvent``."""
    batch_size = ProcessorSettings().batch_size  # batches as large as the processor's
    started = time.perf_counter()
    cpu_at_first = 0.0
    consumer = make_consumer(settings)
    await consumer.start()
    try:
        ends = await end_offsets(consumer, EVENTS.name)
        pending = {tp: end for tp, end in ends.items() if end > 0}
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)
        done = 0
        first_batch: tuple[int, float] | None = None
        while pending:
            fetched = await consumer.getmany(*pending, timeout_ms=1000, max_records=batch_size)
            for tp, records in fetched.items():
                for record in records:
                    decode(record.value, SituationEvent)
                done += len(records)
                if await consumer.position(tp) >= pending[tp]:
                    del pending[tp]
            if first_batch is None and done:
                first_batch = (done, time.perf_counter())
                cpu_at_first = time.process_time()
        last = time.perf_counter()
        cpu = time.process_time() - cpu_at_first
    finally:
        await consumer.stop()
    if done != expected or first_batch is None:
        raise RuntimeError(f"aiokafka-bare read {done} events, expected {expected}")
    return Timing(done, done - first_batch[0], started, first_batch[1], last, cpu)


# --- worker processes -----------------------------------------------------------------------------


@dataclass
class Child:
    """A worker process of the bench, with its log and samples of its CPU time."""

    proc: subprocess.Popen[bytes]
    log_path: Path
    cpu_samples: list[tuple[float, float]] = field(default_factory=list)  # (wall time, CPU s)

    def sample_cpu(self) -> None:
        """Record the CPU time the process and its children (all their threads)
        have used so far (Linux): the processor's fold process counts too."""
        ticks = sum(_cpu_ticks(pid) for pid in _process_tree(self.proc.pid))
        self.cpu_samples.append((time.time(), ticks / os.sysconf("SC_CLK_TCK")))

    def cpu_between(self, start: float, end: float) -> float:
        """CPU seconds used from wall time ``start`` to ``end``, interpolated between samples."""
        return _interpolate(self.cpu_samples, end) - _interpolate(self.cpu_samples, start)

    def check_alive(self, what: str) -> None:
        if self.proc.poll() is not None:
            tail = self.log_path.read_text("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{what} exited with status {self.proc.returncode}:\n{tail}")

    def stop(self, what: str) -> None:
        stop_child(self.proc, what, timeout_s=30)


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its living descendants (Linux)."""
    tree, i = [pid], 0
    while i < len(tree):
        for task in Path(f"/proc/{tree[i]}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the task ended meanwhile
                tree.extend(int(child) for child in task.read_text("ascii").split())
        i += 1
    return tree


def _cpu_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text("ascii").rpartition(")")[2].split()
    except OSError:
        return 0  # ended meanwhile
    return int(stat[11]) + int(stat[12])  # utime and stime: fields 14 and 15 of proc(5)


def _interpolate(samples: Sequence[tuple[float, float]], at: float) -> float:
    before = max((s for s in samples if s[0] <= at), default=samples[0])
    after = min((s for s in samples if s[0] >= at), default=samples[-1])
    if after[0] == before[0]:
        return before[1]
    return before[1] + (after[1] - before[1]) * (at - before[0]) / (after[0] - before[0])


def launch(argv: list[str], settings: SitrepSettings, folder: Path, extra_env: dict[str, str]) -> Child:
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "SITREP_KAFKA_BOOTSTRAP": settings.resolve_bootstrap(),
        "SITREP_DATA_DIR": str(folder),
        "SITREP_PARTITIONS": str(settings.partitions),
        "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p),
        **extra_env,
    }
    log_path = folder / "worker.log"
    with open(log_path, "ab") as sink:
        # The folder is the working directory too: faust puts its data folder there.
        proc = subprocess.Popen(argv, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink)
    return Child(proc, log_path)


# --- 2. faust-bare --------------------------------------------------------------------------------


def run_faust_decode_agent(app_id: str, expected: int, result: Path, data_dir: Path) -> None:
    """The faust-bare worker (a child process): one agent, configured like the
    processor's, iterating the events topic like the processor's and only
    decoding. Writes its timing to ``result`` once ``expected`` events are done,
    then idles until stopped."""
    from faust import Worker

    from services.processor.app import faust_app

    settings = ProcessorSettings()
    app = faust_app(settings, app_id, datadir=str(data_dir))
    events = app.topic(
        EVENTS.name, key_serializer="raw", value_serializer="raw", partitions=settings.partitions
    )
    marks: dict[str, float] = {}

    @app.agent(events, concurrency=1)
    async def decode_events(stream: Any) -> None:
        done = 0
        async for batch in stream.take_events(settings.batch_size, within=settings.batch_within_s):
            for record in batch:
                decode(record.message.value, SituationEvent)
            done += len(batch)
            if "first_batch_done" not in marks:
                marks["first_batch_done"] = time.time()
                marks["first_batch_events"] = done
            if done >= expected and "last_done" not in marks:
                marks["last_done"] = time.time()
                marks["events"] = done
                tmp = result.with_suffix(".tmp")
                tmp.write_text(json.dumps(marks), "utf-8")
                tmp.replace(result)

    asyncio.set_event_loop(asyncio.new_event_loop())
    Worker(app, loglevel="warning", quiet=True).execute_from_commandline()


async def faust_decode_pass(
    settings: SitrepSettings, expected: int, folder: Path, timeout_s: float
) -> Timing:
    """Run the faust-bare worker over the events topic and read back its timing."""
    result = folder / "result.json"
    argv = [
        sys.executable,
        str(SCRIPT),
        "--faust-agent",
        f"sitrep-bench-faust-{uuid.uuid4().hex[:8]}",
        "--events",
        str(expected),
        "--result",
        str(result),
    ]
    started = time.time()
    child = launch(argv, settings, folder, {})
    try:
        deadline = time.monotonic() + timeout_s
        while not result.exists():
            child.check_alive("faust-bare worker")
            child.sample_cpu()
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"faust-bare did not finish within {timeout_s:.0f} s; see {child.log_path}"
                )
            await asyncio.sleep(RESULT_POLL_S)
        child.sample_cpu()
    finally:
        child.stop("faust-bare worker")
    marks = json.loads(result.read_text("utf-8"))
    done = int(marks["events"])
    if done != expected:
        raise RuntimeError(f"faust-bare decoded {done} events, expected {expected}")
    after = done - int(marks["first_batch_events"])
    first, last = marks["first_batch_done"], marks["last_done"]
    return Timing(done, after, started, first, last, child.cpu_between(first, last))


# --- 3. the processor -----------------------------------------------------------------------------


async def wait_for_commits(settings: SitrepSettings, child: Child, timeout_s: float) -> None:
    """Until the processor's committed offsets reach the end of the events topic."""
    watcher = ProcessorWatcher(settings, interval_s=LAG_POLL_S)
    await watcher.start()
    try:
        deadline = time.monotonic() + timeout_s
        while watcher.progress.lag != 0:
            child.check_alive("processor")
            child.sample_cpu()
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"processor still {watcher.progress.lag} events behind after {timeout_s:.0f} s; "
                    f"see {child.log_path}"
                )
            await asyncio.sleep(LAG_POLL_S)
    finally:
        await watcher.stop()


@dataclass(frozen=True)
class FoldProgress:
    """How far the processor got, as read from ``sitrep.control.v1``."""

    folded: int  # events folded by the last control record
    folded_at_first: int  # events folded by the first control record's time
    first_ms: int
    last_ms: int
    states: int  # control records published


async def fold_progress(settings: SitrepSettings) -> FoldProgress:
    """Events folded over time: per place the highest ``version`` published, by timestamp."""
    stamped: list[tuple[int, str, int]] = []
    async for record in read_to_end(settings, CONTROL.name):
        state = json.loads(record.value or b"{}")
        stamped.append((record.timestamp, bytes(record.key or b"").decode(), int(state["version"])))
    if not stamped:
        return FoldProgress(0, 0, 0, 0, 0)
    stamped.sort()
    first_ms = stamped[0][0]
    latest: dict[str, int] = {}
    folded_at_first = 0
    for timestamp, key, version in stamped:
        latest[key] = max(version, latest.get(key, 0))
        if timestamp == first_ms:
            folded_at_first = sum(latest.values())
    return FoldProgress(sum(latest.values()), folded_at_first, first_ms, stamped[-1][0], len(stamped))


async def processor_pass(
    settings: SitrepSettings, expected: int, folder: Path, timeout_s: float, profile: Path | None = None
) -> tuple[Timing, FoldProgress]:
    """Run the real processor over the events topic until it has folded every event."""
    group = f"sitrep-bench-processor-{uuid.uuid4().hex[:8]}"
    command = ["-m", "services.cli", "processor"]
    if profile is not None:
        command = ["-m", "cProfile", "-o", str(profile), *command]
    started = time.time()
    child = launch([sys.executable, *command], settings, folder, {"SITREP_PROCESSOR_GROUP": group})
    try:
        watched = settings.model_copy(update={"processor_group": group})
        await wait_for_commits(watched, child, timeout_s)
        progress = await fold_progress(settings)
        deadline = time.monotonic() + 10
        while progress.folded < expected and time.monotonic() < deadline:
            await asyncio.sleep(LAG_POLL_S)
            progress = await fold_progress(settings)
    finally:
        child.stop("processor")
    if progress.folded != expected:
        raise RuntimeError(
            f"the processor's control states account for {progress.folded} of {expected} events"
        )
    first, last = progress.first_ms / 1000, progress.last_ms / 1000
    after = expected - progress.folded_at_first
    timing = Timing(expected, after, started, first, last, child.cpu_between(first, last))
    return timing, progress


# --- one run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunFigures:
    produce_s: float
    aiokafka: Timing
    faust: Timing
    processor: Timing
    control_states: int
    alerts: int
    capital_signals: int


async def measure_run(folder: Path, records: Sequence[Record]) -> RunFigures:
    broker, settings, produce_s = await fresh_topic(folder, records)
    try:
        expected = len(records)
        timeout_s = max(120.0, expected / 500)
        aiokafka = await aiokafka_decode_pass(settings, expected)
        faust = await faust_decode_pass(settings, expected, folder / "faust", timeout_s)
        processor, progress = await processor_pass(settings, expected, folder / "processor", timeout_s)
        alerts = await total_records(settings, ALERTS.name)
        signals = await total_records(settings, CAPITALS.name)
        return RunFigures(produce_s, aiokafka, faust, processor, progress.states, alerts, signals)
    finally:
        await asyncio.get_running_loop().run_in_executor(None, broker.stop)


async def profile_processor(folder: Path, records: Sequence[Record], out: Path) -> Timing:
    """One more processor pass, under cProfile (its figures are not the measured ones)."""
    broker, settings, _ = await fresh_topic(folder, records)
    try:
        timeout_s = max(120.0, len(records) / 100)
        timing, _ = await processor_pass(settings, len(records), folder / "processor", timeout_s, out)
        return timing
    finally:
        await asyncio.get_running_loop().run_in_executor(None, broker.stop)


# --- report ---------------------------------------------------------------------------------------


def print_report(args: argparse.Namespace, records: Sequence[Record], runs: list[RunFigures]) -> None:
    size = statistics.mean(len(v) for _, v in records)
    n = len(records)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} at the end; code: {ROOT}")
    print(
        f"events: {n:,} synthetic SituationEvents of {size:.0f} B on average over {args.places:,} places, "
        f"{SitrepSettings().partitions} partitions; {len(runs)} run(s), "
        "each on a fresh embedded broker (noida-db)"
    )
    produce_rate = statistics.median([n / r.produce_s for r in runs])
    print(f"produce (aiokafka, idempotent, acks=all, keyed by place): {produce_rate:,.0f} events/s (median)")
    print()
    print("steady: events after the first batch / time from the end of the first batch to the last;")
    print("start-up incl.: all events / time from starting the consumer or launching the process;")
    print("CPU: CPU time of the consumer's process (all threads) in the steady part, per event and")
    print("as cores busy (a worker that waits on others stays below 1). Medians over the runs.")
    print()
    columns = f"{'steady ev/s':>12}{'start-up incl.':>16}{'CPU µs/event':>14}{'cores':>7}"
    print(f"{'':<15}{columns}   steady ev/s by run")
    rows: list[tuple[str, list[Timing]]] = [
        ("aiokafka-bare", [r.aiokafka for r in runs]),
        ("faust-bare", [r.faust for r in runs]),
        ("processor", [r.processor for r in runs]),
    ]
    medians: dict[str, float] = {}
    for name, timings in rows:
        steady = statistics.median([t.steady_rate for t in timings])
        medians[name] = steady
        startup = statistics.median([t.rate_with_startup for t in timings])
        cpu = statistics.median([t.cpu_per_event_us for t in timings])
        cores = statistics.median([t.cores for t in timings])
        per_run = ", ".join(f"{t.steady_rate:,.0f}" for t in timings)
        print(f"{name:<15}{steady:>12,.0f}{startup:>16,.0f}{cpu:>14,.0f}{cores:>7.2f}   {per_run}")
    states = statistics.median([float(r.control_states) for r in runs])
    alerts = statistics.median([float(r.alerts) for r in runs])
    signals = statistics.median([float(r.capital_signals) for r in runs])
    print(
        f"processor output per run (median): {states:,.0f} control states, {alerts:,.0f} alerts, "
        f"{signals:,.0f} capital signals"
    )
    print()
    if not all(medians.values()):
        # Everything came in the first batch: there is no steady part to time.
        print("summary: too few events for a steady rate (use more --events); no ratios")
        return
    to_faust = medians["processor"] / medians["faust-bare"]
    to_aiokafka = medians["processor"] / medians["aiokafka-bare"]
    print(f"processor / faust-bare    = {to_faust:.2f}")
    print(f"processor / aiokafka-bare = {to_aiokafka:.2f}")
    rate_ok = "met" if medians["processor"] >= 10_000 else "NOT met"
    ratio_ok = "met" if to_faust >= 0.8 else "NOT met"
    print(
        f"summary: processor {medians['processor']:,.0f} events/s (target ≥ 10,000: {rate_ok}), "
        f"{to_faust:.2f} of bare faust (target ≥ 0.8: {ratio_ok}), {to_aiokafka:.2f} of bare aiokafka"
    )


def profile_area(filename: str, name: str) -> str:
    """The part of the stack a profiled function belongs to."""
    if filename == "~":  # built-in functions and methods
        if "select.epoll" in name:
            return "idle (waiting in the event loop)"
        if "_socket" in name:
            return "socket I/O"
        if "pydantic_core" in name:
            return "pydantic"
        return "builtins"
    path = Path(filename)
    for area in ("domain", "services", "schemas"):
        if path.is_relative_to(ROOT / area):
            return f"sitrep {area}/"
    parts = filename.split("site-packages/")
    if len(parts) == 2:
        package = parts[1].split("/")[0]
        return {"mode": "faust", "pydantic_core": "pydantic"}.get(package, package)
    if "/asyncio/" in filename or path.name == "selectors.py":
        return "asyncio"
    if "/json/" in filename:
        return "json"
    return f"stdlib {path.name}" if path.suffix == ".py" else "other"


def print_profile(path: Path, timing: Timing, top: int = 15) -> None:
    """Where the processor's main thread spent its time, by area, then by function."""
    stats = pstats.Stats(str(path))
    entries: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    by_area: dict[str, float] = {}
    for (filename, _, name), (_, _, own, *_rest) in entries.items():
        area = profile_area(filename, name)
        by_area[area] = by_area.get(area, 0.0) + own
    total = sum(by_area.values())
    print()
    print(f"profile of one more processor pass under cProfile ({timing.steady_rate:,.0f} events/s there;")
    print(f"main thread only, from start to stop, {total:.1f} s): {path}")
    for area, seconds in sorted(by_area.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {seconds / total:6.1%}  {seconds:7.2f} s  {area}")
    print(f"top {top} functions by own time:")
    stats.sort_stats(pstats.SortKey.TIME).print_stats(top)


# --- entry point ----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000, help="events in the topic (default 100,000)")
    ap.add_argument("--runs", type=int, default=3, help="runs, each on a fresh broker (default 3)")
    ap.add_argument("--places", type=int, default=2_000, help="distinct places (default 2,000)")
    ap.add_argument(
        "--profile", type=Path, help="also profile one processor pass; cProfile stats to this file"
    )
    ap.add_argument("--faust-agent", metavar="APP_ID", help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


async def bench(args: argparse.Namespace, records: list[Record]) -> int:
    runs: list[RunFigures] = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-processor-") as tmp:
        for run in range(args.runs):
            figures = await measure_run(Path(tmp) / f"run{run}", records)
            print(
                f"run {run + 1}: aiokafka-bare {figures.aiokafka.steady_rate:,.0f}, "
                f"faust-bare {figures.faust.steady_rate:,.0f}, "
                f"processor {figures.processor.steady_rate:,.0f} events/s",
                file=sys.stderr,
            )
            runs.append(figures)
        print_report(args, records, runs)
        if args.profile is not None:
            profile = args.profile.resolve()
            timing = await profile_processor(Path(tmp) / "profile", records, profile)
            print_profile(profile, timing)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.faust_agent:
        run_faust_decode_agent(args.faust_agent, args.events, args.result, args.result.parent)
        return 0
    ensure_cache()  # the processor needs the gazetteer; build it before anything is timed
    records = synthetic_records(args.events, args.places)
    return asyncio.run(bench(args, records))


if __name__ == "__main__":
    sys.exit(main())
