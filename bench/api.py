"""The state service under load, and how soon a posted article shows.

    python bench/api.py [--places 1000] [--runs 3] [--duration 10] [--connections 50] [--articles 200]

Starts the whole system as a user does (``sitrep run`` on a fresh embedded
broker in a temporary folder, one API worker), folds a synthetic log of
``6 × places`` events over about ``places`` real places (``bench/corpus.py``), then:

1. ``GET /v1/control`` (every place, one answer) with wrk from Debian
   (``apt-get install wrk``): ``--connections`` connections for ``--duration``
   seconds, ``--runs`` times; requests/s and p50/p99 latency as wrk reports them.
2. The same with ``If-None-Match`` set to the answer's ETag: ``304`` answers.
3. The baseline, in the same run: a bare ASGI app under the same uvicorn (its
   C parser and event loop), in a process of its own, that answers the same
   path with the same bytes (and ``304`` to the same ETag) and does nothing else.
   Each figure of 1 and 2 is also given as a ratio to it: what the service
   costs beyond writing the bytes.
4. End to end: ``--articles`` short articles (a capture of one of the places,
   each with its own date), each ``POST /v1/articles`` then
   ``GET /v1/control?min_position=<its position>``, one after the other; the
   latency is from sending the POST to the GET's answer, which comes once the
   view reflects the article's events (the processor folded them and the API
   read the states). p50 and p99.

Targets (issue 6): ≥ 2,000 requests/s for full answers and ≥ 5,000 for 304s on
one worker; end to end p99 ≤ 1 s on the embedded broker. wrk and the service
share the machine's cores, as the baseline and wrk do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from corpus import synthetic_records  # bench/, the folder of this script

from schemas.topics import EVENTS
from services.shared.broker import free_port
from services.shared.kafka import make_producer
from services.shared.settings import SitrepSettings

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parent.parent
SITREP = str(Path(sys.executable).parent / "sitrep")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- wrk ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def wrk(url: str, connections: int, duration_s: int, headers: dict[str, str]) -> Load:
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration_s}s", "--latency"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Load(rate, p50, p99, int(errors.group(1)) if errors else 0)


def median_load(loads: Sequence[Load]) -> Load:
    return Load(
        statistics.median(x.requests_per_s for x in loads),
        statistics.median(x.p50_ms for x in loads),
        statistics.median(x.p99_ms for x in loads),
        sum(x.non_2xx_3xx for x in loads),
    )


# --- the baseline server --------------------------------------------------------------------------


def serve_baseline(port: int, body_file: Path, etag: str) -> None:
    """A bare ASGI app (a child process): the same path, bytes and ETag, nothing else."""
    import uvicorn

    body = body_file.read_bytes()
    full = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"etag", etag.encode()),
        (b"cache-control", b"no-cache"),
    ]
    unchanged = [(b"etag", etag.encode()), (b"cache-control", b"no-cache")]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        known = next((v for k, v in scope["headers"] if k == b"if-none-match"), None)
        if known is not None and known.decode() == etag:
            await send({"type": "http.response.start", "status": 304, "headers": unchanged})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": full})
        await send({"type": "http.response.body", "body": body})

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- the system -----------------------------------------------------------------------------------


def start_system(folder: Path) -> tuple[subprocess.Popen[str], str, SitrepSettings]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    env["SITREP_DATA_DIR"] = str(folder / "state")
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(ROOT), os.environ.get("PYTHONPATH")] if p)
    with open(folder / "run.log", "w") as sink:
        proc = subprocess.Popen(
            [SITREP, "run", "--port", str(free_port())],
            env=env,
            cwd=folder,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    runtime = folder / "state" / "runtime.json"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"sitrep run exited: {(folder / 'run.log').read_text()}")
        if runtime.exists():
            data = json.loads(runtime.read_text())
            url = data.get("api_url")
            try:
                if url and httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    return proc, url, SitrepSettings(kafka_bootstrap=data["kafka_bootstrap"])
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    raise RuntimeError("the system did not become ready")


def stop_system(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def fold_places(settings: SitrepSettings, url: str, places: int) -> int:
    """Publish the synthetic log and wait until the API serves (almost) every place."""
    # Six events per place on average, over 5% more places than asked for: the
    # corpus draws places at random, and so a few get none.
    records = synthetic_records(6 * places, places + places // 20)
    expected = len({key for key, _ in records})
    producer = make_producer(settings)
    await producer.start()
    try:
        for key, value in records:
            await producer.send(EVENTS.name, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            count: int = (await client.get("/v1/control", params={"limit": 10_000})).json()["count"]
            if count >= expected:
                return count
            await asyncio.sleep(0.5)
    raise RuntimeError(f"the view did not reach {expected} places")


async def end_to_end(url: str, places: list[dict[str, Any]], articles: int) -> list[float]:
    """Seconds from sending each POST to the answer of the GET that waits for it."""
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for n in range(articles):
            place = places[n % len(places)]["place"]
            day = 1 + n % 28
            text = (
                f"Government forces captured the town of {place['name']} on {WEEKDAYS[n % 7]}, "
                f"the army said in a statement. Report {n}."
            )
            started = time.perf_counter()
            posted = await client.post(
                "/v1/articles",
                json={
                    "text": text,
                    "published_at": f"2025-01-{day:02d}T12:00:00Z",
                    "country_hint": place["country"],
                },
            )
            posted.raise_for_status()
            body = posted.json()
            if body["events"] == 0:
                continue  # nothing to wait for: not an end-to-end figure
            seen = await client.get("/v1/control", params={"min_position": body["position"], "wait_s": 10})
            seen.raise_for_status()
            latencies.append(time.perf_counter() - started)
    return latencies


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- the run --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument(
        "--baseline-server", nargs=3, metavar=("PORT", "BODY", "ETAG"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.baseline_server:
        port, body, etag = args.baseline_server
        serve_baseline(int(port), Path(body), etag)
        return 0
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-api-") as tmp:
        folder = Path(tmp)
        system, url, settings = start_system(folder)
        baseline: subprocess.Popen[bytes] | None = None
        try:
            count = asyncio.run(fold_places(settings, url, args.places))
            first = httpx.get(f"{url}/v1/control", params={"limit": 10_000}, timeout=30)
            body, etag = first.content, first.headers["etag"]
            (folder / "body.json").write_bytes(body)
            port = free_port()
            body_file = str(folder / "body.json")
            baseline = subprocess.Popen(
                [sys.executable, str(SCRIPT), "--baseline-server", str(port), body_file, etag],
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            base_url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    httpx.get(f"{base_url}/v1/control?limit=10000", timeout=2)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            target = f"{url}/v1/control?limit=10000"
            base_target = f"{base_url}/v1/control?limit=10000"
            print(f"view: {count} places, GET /v1/control answers {len(body):,} bytes", flush=True)
            results: dict[str, list[Load]] = {"full": [], "304": [], "base full": [], "base 304": []}
            for run in range(args.runs):
                for name, where, headers in (
                    ("full", target, {}),
                    ("304", target, {"If-None-Match": etag}),
                    ("base full", base_target, {}),
                    ("base 304", base_target, {"If-None-Match": etag}),
                ):
                    load = wrk(where, args.connections, args.duration, headers)
                    results[name].append(load)
                    print(
                        f"run {run + 1} {name:9} {load.requests_per_s:9,.0f} req/s  "
                        f"p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms",
                        flush=True,
                    )
            places = first.json()["places"]
            latencies = asyncio.run(end_to_end(url, places, args.articles))
        finally:
            if baseline is not None:
                baseline.terminate()
                baseline.wait(10)
            stop_system(system)
    med = {name: median_load(loads) for name, loads in results.items()}
    print()
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s, median of {args.runs} runs; one API worker")
    print(f"{'':22}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'baseline req/s':>16}{'ratio':>7}")
    for name, label in (("full", "GET /v1/control 200"), ("304", "If-None-Match → 304")):
        ours, base = med[name], med[f"base {name}"]
        print(
            f"{label:22}{ours.requests_per_s:10,.0f}{ours.p50_ms:9.2f}{ours.p99_ms:9.2f}"
            f"{base.requests_per_s:16,.0f}{ours.requests_per_s / base.requests_per_s:7.2f}"
        )
    bad = med["full"].non_2xx_3xx + med["304"].non_2xx_3xx
    if bad:
        print(f"WARNING: {bad} answers were neither 2xx nor 3xx")
    e2e_line = "no article gave events"
    if latencies:
        p50_ms, p99_ms = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        e2e_line = (
            f"p50 {p50_ms:.0f} ms, p99 {p99_ms:.0f} ms over {len(latencies)} articles "
            f"(max {max(latencies) * 1000:.0f} ms)"
        )
    print(f"end to end, POST /v1/articles → GET /v1/control?min_position reflects it: {e2e_line}")
    full_ok = med["full"].requests_per_s >= 2000
    cached_ok = med["304"].requests_per_s >= 5000
    e2e_ok = bool(latencies) and percentile(latencies, 0.99) <= 1.0
    print(
        "summary: "
        f"full {med['full'].requests_per_s:,.0f} req/s (target ≥ 2,000: {'met' if full_ok else 'NOT met'}), "
        f"304 {med['304'].requests_per_s:,.0f} req/s (target ≥ 5,000: {'met' if cached_ok else 'NOT met'}), "
        f"end-to-end p99 (target ≤ 1 s: {'met' if e2e_ok else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
