"""``sitrep run``: the whole system in one supervised process group.

Starts the embedded broker (unless ``SITREP_KAFKA_BOOTSTRAP`` names a cluster),
creates the topics, starts the processor and the API as child processes (and
the ingest worker, ``sitrep watch``, when ``SITREP_WATCH`` names feeds), records
their addresses in ``SITREP_DATA_DIR/runtime.json`` for commands run from a
second terminal, optionally ingests a folder, and on Ctrl-C (or if any child
dies) stops every process it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from domain.errors import InfrastructureError
from services.shared.broker import EmbeddedBroker, free_port
from services.shared.kafka import ensure_topics
from services.shared.processes import die_with_parent, stop_child
from services.shared.settings import ApiSettings, IngestSettings, Runtime

log = logging.getLogger(__name__)


class Child:
    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as sink:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=sink,
                preexec_fn=die_with_parent,
            )
        log.info("started %s (pid %d), log: %s", self.name, self.process.pid, self.log_path)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is not None:
            stop_child(self.process, self.name)


async def wait_until_ready(url: str, children: list[Child], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(timeout=2.0) as client:
        while time.monotonic() < deadline:
            for child in children:
                code = child.exited()
                if code is not None:
                    tail = child.log_path.read_text("utf-8", "replace")[-1500:]
                    raise InfrastructureError(f"{child.name} exited with {code} while starting:\n{tail}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{url}/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise InfrastructureError(f"the API at {url} was not ready within {timeout_s:.0f} s")


async def supervise(settings: ApiSettings, port: int | None, ingest: list[Path]) -> int:
    from services.ingest.runner import ingest_targets

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    broker: EmbeddedBroker | None = None
    children: list[Child] = []
    started = time.monotonic()
    try:
        if settings.kafka_bootstrap:
            bootstrap = settings.kafka_bootstrap
            print(f"using Kafka at {bootstrap} (SITREP_KAFKA_BOOTSTRAP); no broker started", flush=True)
        else:
            broker = EmbeddedBroker(settings.data_dir / "broker")
            bootstrap = await broker.start()
            print(f"embedded broker (noida-db) at {bootstrap}, data in {broker.data_dir}", flush=True)
        live = settings.model_copy(update={"kafka_bootstrap": bootstrap})
        await ensure_topics(live)

        api_port = port if port is not None else settings.api_port
        api_port = api_port or free_port(settings.api_host)
        api_url = f"http://{settings.api_host}:{api_port}"
        env = {**os.environ, "SITREP_KAFKA_BOOTSTRAP": bootstrap, "SITREP_DATA_DIR": str(settings.data_dir)}
        logs = settings.data_dir / "logs"
        # -P: the children import Sitrep as this process did (PYTHONPATH or the
        # install, e.g. the compiled build of `make run`), not from the working folder.
        me = [sys.executable, "-P", "-m", "services.cli"]
        children = [
            Child("processor", [*me, "processor"], env, logs / "processor.log"),
            Child(
                "api",
                [*me, "api", "--host", settings.api_host, "--port", str(api_port)],
                env,
                logs / "api.log",
            ),
        ]
        watching = IngestSettings().watch
        if watching:
            # The ingest worker: SITREP_WATCH names the feeds and folders it polls.
            children.append(Child("watch", [*me, "watch"], env, logs / "watch.log"))
        for child in children:
            child.start()
        settings.write_runtime(
            Runtime(
                kafka_bootstrap=bootstrap,
                api_url=api_url,
                embedded_broker=broker is not None,
                supervisor_pid=os.getpid(),
            )
        )
        await wait_until_ready(api_url, children)
        print(
            f"API ready at {api_url}  (map: {api_url}/, docs: {api_url}/docs) "
            f"after {time.monotonic() - started:.1f} s",
            flush=True,
        )
        if ingest:
            summary = await ingest_targets(live, ingest, None)
            print(summary.line(), flush=True)
        print(f"logs in {logs}/; Ctrl-C stops everything", flush=True)

        while not stop.is_set():
            for child in children:
                code = child.exited()
                if code is not None:
                    print(
                        f"{child.name} exited with {code}; stopping (see {child.log_path})", file=sys.stderr
                    )
                    return 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.5)
        print("stopping…", flush=True)
        return 0
    finally:
        for child in reversed(children):
            await loop.run_in_executor(None, child.stop)
        if broker is not None:
            await loop.run_in_executor(None, broker.stop)
        with contextlib.suppress(FileNotFoundError):
            settings.runtime_path.unlink()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
