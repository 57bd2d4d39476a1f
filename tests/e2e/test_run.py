"""The whole system through its public interfaces: `sitrep run` as a user starts
it, `sitrep ingest`, `sitrep status` and `sitrep alerts` from a "second terminal"
that finds it through SITREP_DATA_DIR, HTTP polling, and Ctrl-C leaving no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SEED, SEED_PUBLISHED
from tests.integration.test_pipeline import folded

SITREP = str(Path(sys.executable).parent / "sitrep")


def descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(probe: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")


def launch_system(tmp_path: Path) -> tuple[subprocess.Popen[str], dict[str, str], Path]:
    """`sitrep run --port 0` as a user starts it, with a data folder of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    env["SITREP_DATA_DIR"] = str(tmp_path / "state")
    log = tmp_path / "run.log"
    with open(log, "w") as sink:
        # Its own process group, like a shell job: Ctrl-C is sent to the group.
        proc = subprocess.Popen(
            [SITREP, "run", "--port", "0"],
            start_new_session=True,
            env=env,
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return proc, env, log


@pytest.fixture
def system(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str], Path]]:
    proc, env, log = launch_system(tmp_path)
    try:
        yield proc, env, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def wait_until_ready(proc: subprocess.Popen[str], env: dict[str, str], log: Path) -> str:
    runtime_path = Path(env["SITREP_DATA_DIR"]) / "runtime.json"

    def api_ready() -> str | None:
        if proc.poll() is not None:
            raise AssertionError(f"sitrep run exited early:\n{log.read_text()}")
        if not runtime_path.exists():
            return None
        url: str = json.loads(runtime_path.read_text())["api_url"]
        try:
            return url if httpx.get(f"{url}/readyz", timeout=2).status_code == 200 else None
        except httpx.HTTPError:
            return None

    url: str = wait_for(api_ready, 120, "the API to be ready")
    return url


def test_run_ingest_poll_and_stop_cleanly(system: tuple[subprocess.Popen[str], dict[str, str], Path]) -> None:
    proc, env, log = system
    runtime_path = Path(env["SITREP_DATA_DIR"]) / "runtime.json"
    url = wait_until_ready(proc, env, log)
    ingest = subprocess.run(
        [SITREP, "ingest", str(SEED), "--published-at", SEED_PUBLISHED],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ingest.returncode == 0, ingest.stderr
    assert "ingested 1 new article" in ingest.stdout

    def hama_held() -> dict[str, Any] | None:
        places = httpx.get(f"{url}/v1/control", timeout=5).json()["places"]
        held = (p for p in places if folded(p["place"]["name"]).startswith("hama") and p["status"] == "held")
        return next(held, None)

    hama = wait_for(hama_held, 90, "Hama held in /v1/control")
    assert hama["controller"]["name"] == "Hayat Tahrir al-Sham"
    status = subprocess.run([SITREP, "status"], env=env, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and "Hama" in status.stdout and "Hayat Tahrir al-Sham" in status.stdout

    def hama_alert() -> str | None:
        command = [SITREP, "alerts", "--kind", "control_changed"]
        alerts = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        assert alerts.returncode == 0, alerts.stderr
        return next((line for line in alerts.stdout.splitlines() if "Hama" in line), None)

    line = wait_for(hama_alert, 30, "Hama's control_changed alert in `sitrep alerts`")
    assert "critical" in line and "Hayat Tahrir al-Sham" in line and "\x1b[" not in line

    started = descendants(proc.pid)
    assert len(started) >= 3, f"expected broker, processor and API under sitrep run, found {started}"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    started_stop = time.monotonic()
    assert proc.wait(60) == 0, log.read_text()
    assert time.monotonic() - started_stop < 10, "shutdown waited for a stop timeout"
    wait_for(lambda: not any(alive(p) for p in started), 30, "every child process to exit")
    assert not runtime_path.exists()


def test_a_killed_supervisor_leaves_no_orphans(
    system: tuple[subprocess.Popen[str], dict[str, str], Path],
) -> None:
    """kill -9 gives `sitrep run` no chance to clean up; its children must still go
    (the kernel's parent-death signal), or the broker would keep its port."""
    proc, env, log = system
    wait_until_ready(proc, env, log)
    started = descendants(proc.pid)
    assert len(started) >= 3, f"expected broker, processor and API under sitrep run, found {started}"
    proc.kill()
    proc.wait(10)
    wait_for(lambda: not any(alive(p) for p in started), 30, "every child process to exit after kill -9")
