"""Running parts for integration tests: the processor as a real faust worker
process, and the API served by uvicorn on loopback."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from services.api.app import create_app
from services.shared.broker import EmbeddedBroker, free_port
from services.shared.kafka import ensure_topics
from services.shared.processes import stop_child
from services.shared.settings import ApiSettings, SitrepSettings


@asynccontextmanager
async def broker_settings(folder: Path) -> AsyncIterator[SitrepSettings]:
    broker = EmbeddedBroker(folder / "broker")
    await broker.start()
    try:
        settings = SitrepSettings(kafka_bootstrap=broker.bootstrap, data_dir=folder)
        await ensure_topics(settings)
        yield settings
    finally:
        broker.stop()


def start_processor(
    settings: SitrepSettings, log_path: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """The processor exactly as `sitrep run` starts it: a faust worker process."""
    env = {
        **os.environ,
        "SITREP_KAFKA_BOOTSTRAP": settings.resolve_bootstrap(),
        "SITREP_DATA_DIR": str(settings.data_dir),
        **(extra_env or {}),
    }
    with open(log_path, "ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "services.cli", "processor"],
            env=env,
            stdout=sink,
            stderr=sink,
            stdin=subprocess.DEVNULL,
        )


def stop_process(proc: subprocess.Popen[bytes]) -> int:
    return stop_child(proc, "processor", timeout_s=20)


@pytest.fixture(scope="session")
def processor(kafka_settings: SitrepSettings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    log_path = tmp_path_factory.mktemp("processor") / "processor.log"
    proc = start_processor(kafka_settings, log_path)
    try:
        yield log_path
    finally:
        stop_process(proc)


@asynccontextmanager
async def serve_api(settings: SitrepSettings, **overrides: Any) -> AsyncIterator[str]:
    """The API on a free loopback port, served by uvicorn in this process; its URL.
    ``overrides`` are ApiSettings fields (a token, a body limit)."""
    port = free_port()
    api_settings = ApiSettings(
        kafka_bootstrap=settings.resolve_bootstrap(), data_dir=settings.data_dir, **overrides
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(api_settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=2,  # as `sitrep api`: open alert streams do not hold the stop
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="session")
async def api_url(kafka_settings: SitrepSettings) -> AsyncIterator[str]:
    async with serve_api(kafka_settings) as url:
        yield url


@pytest.fixture
async def http(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api_url, timeout=10) as client:
        yield client
