"""`sitrep alerts --follow` as a user runs it in a terminal: a subprocess that
finds the broker through SITREP_KAFKA_BOOTSTRAP, prints one line per wanted
alert as it arrives, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from schemas.alert import Alert, AlertKind
from schemas.common import ActorRef, Place
from schemas.topics import ALERTS
from services.shared.codec import encode
from services.shared.kafka import make_producer
from tests.integration.conftest import broker_settings

T0 = datetime(2024, 12, 5, tzinfo=UTC)
HAMA = Place(id="geonames:170063", name="Hama", text="Hama")
HTS = ActorRef(id="hts", name="Hayat Tahrir al-Sham")


def an_alert(alert_id: str, kind: AlertKind, message: str) -> Alert:
    return Alert(
        alert_id=alert_id,
        kind=kind,
        severity="critical" if kind == "control_changed" else "warning",
        place=HAMA,
        actor=HTS,
        message=f"Hama: {message}",
        event_ids=["e1"],
        occurred_at=T0,
    )


async def read_line(stream: asyncio.StreamReader, timeout_s: float = 30) -> str:
    line = await asyncio.wait_for(stream.readline(), timeout_s)
    assert line, "the follower closed its output"
    return line.decode("utf-8").rstrip("\n")


async def test_follow_prints_only_the_wanted_kind_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    async with broker_settings(tmp_path) as settings:
        producer = make_producer(settings)
        await producer.start()
        try:
            # Already on the topic before the follower starts: not shown (it starts at the end).
            old = an_alert("old", "control_changed", "published before")
            await producer.send_and_wait(ALERTS.name, encode(old), key=b"geonames:170063")
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("SITREP_") and k != "NO_COLOR"},
                "SITREP_KAFKA_BOOTSTRAP": settings.resolve_bootstrap(),
                "SITREP_DATA_DIR": str(tmp_path / "elsewhere"),
            }
            follower = await asyncio.create_subprocess_exec(
                *[sys.executable, "-m", "services.cli", "alerts", "--follow", "--kind", "control_changed"],
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                assert follower.stdout is not None and follower.stderr is not None
                ready = await read_line(follower.stderr)
                assert ready.startswith("following sitrep.alerts.v1"), ready

                # One key, so one partition and one order: once the last is printed,
                # everything before it has been read (and the threat skipped).
                wanted = an_alert("a1", "control_changed", "control passed from X to Y")
                last = an_alert("a2", "control_changed", "control passed from Y to X")
                for alert in (an_alert("t1", "threat", "advancing"), wanted, wanted, last):
                    await producer.send_and_wait(ALERTS.name, encode(alert), key=b"geonames:170063")
                lines = [await read_line(follower.stdout), await read_line(follower.stdout)]
                assert lines == [
                    "2024-12-05T00:00Z  critical  control_changed     Hama: control passed from X to Y",
                    "2024-12-05T00:00Z  critical  control_changed     Hama: control passed from Y to X",
                ]

                follower.send_signal(signal.SIGINT)  # Ctrl-C
                assert await asyncio.wait_for(follower.wait(), 15) == 0
                assert await follower.stdout.read() == b""  # no threat, no repeat, nothing old
                errors = (await follower.stderr.read()).decode()
                assert "Traceback" not in errors, errors
            finally:
                if follower.returncode is None:
                    follower.kill()
                    await follower.wait()
        finally:
            await producer.stop()
