"""The embedded Kafka-protocol broker: noida-db run as a child process.

Started on a free loopback port with its data under the project's state folder,
waited for until it answers the Kafka protocol, and stopped on exit. Only used
when no real cluster is configured (``SITREP_KAFKA_BOOTSTRAP``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import time
from importlib.resources import files
from pathlib import Path
from types import TracebackType

from aiokafka.admin import AIOKafkaAdminClient

from domain.errors import BrokerStartFailed, BrokerUnavailable
from services.shared.processes import die_with_parent, stop_child

log = logging.getLogger(__name__)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def noida_binary() -> str:
    """The server binary inside the noida-db wheel. We run it directly rather than
    through the package's Python wrapper: the wrapper forwards no signals and,
    killed, would leave the real server running with the port taken."""
    try:
        binary = files("noida_db").joinpath("noida-db")
    except ModuleNotFoundError as err:
        raise BrokerStartFailed("noida-db is not installed (pip install noida-db)") from err
    if not binary.is_file():
        raise BrokerStartFailed(f"noida-db's server binary is missing at {binary}")
    path = str(binary)
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o755)  # wheels do not always keep the executable bit
    return path


async def wait_for_kafka(bootstrap: str, timeout_s: float = 30.0) -> None:
    """Return when ``bootstrap`` answers a metadata request, or raise BrokerUnavailable."""
    deadline = time.monotonic() + timeout_s
    last: BaseException | None = None
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    while time.monotonic() < deadline:
        # A bare TCP connect first: aiokafka logs every refused connection as an error.
        try:
            _, writer = await asyncio.open_connection(host, int(port))
            writer.close()
        except OSError as err:
            last = err
            await asyncio.sleep(0.05)
            continue
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=2000)
        try:
            await admin.start()
            await admin.list_topics()
            return
        except Exception as err:  # any failure means "not yet"; the last one is reported
            last = err
            await asyncio.sleep(0.1)
        finally:
            await admin.close()
    raise BrokerUnavailable(f"Kafka at {bootstrap} did not answer within {timeout_s:.0f} s: {last}")


class EmbeddedBroker:
    """noida-db in a child process; use as ``async with EmbeddedBroker(dir) as broker``."""

    def __init__(self, data_dir: Path, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.data_dir = data_dir
        self.host = host
        self.port = port or free_port(host)
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir / "broker.log"

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    async def start(self, timeout_s: float = 30.0) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        argv = [
            noida_binary(),
            "start",
            "--only",
            "kafka",
            "--host",
            self.host,
            "--kafka-port",
            str(self.port),
            "--data-dir",
            str(self.data_dir / "noida"),
        ]
        self._spawn(argv)
        try:
            await wait_for_kafka(self.bootstrap, timeout_s)
        except BrokerUnavailable as err:
            code = self.process.poll() if self.process else None
            self.stop()
            tail = self.log_path.read_text("utf-8", "replace")[-600:]
            raise BrokerStartFailed(f"embedded broker did not start (exit {code}): {err}\n{tail}") from err
        log.info("embedded broker ready at %s (data in %s)", self.bootstrap, self.data_dir)
        return self.bootstrap

    def _spawn(self, argv: list[str]) -> None:
        log.info("starting embedded broker: %s", " ".join(argv))
        with open(self.log_path, "ab") as sink:
            # A session of its own: a terminal's Ctrl-C goes to the whole foreground
            # group, and the broker must outlive the processes that still commit
            # to it while they shut down. Its owner stops it last.
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=sink,
                preexec_fn=die_with_parent,
                start_new_session=True,
            )

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask politely (SIGINT, as Ctrl-C would: noida-db saves its data), then insist."""
        proc, self.process = self.process, None
        if proc is not None:
            stop_child(proc, "embedded broker", signal.SIGINT, timeout_s)

    async def __aenter__(self) -> EmbeddedBroker:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.stop)
