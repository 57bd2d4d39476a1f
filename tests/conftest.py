"""Test session set-up. Integration and e2e tests talk to a real Kafka-protocol
broker: the embedded noida-db, started once for the session on a free loopback
port (or the cluster named by SITREP_TEST_KAFKA_BOOTSTRAP)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from services.shared.broker import EmbeddedBroker
from services.shared.kafka import ensure_topics
from services.shared.settings import SitrepSettings

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "dev-set"
SEED = ROOT / "examples" / "syria-2024" / "2024-12-07_syria_rebels_near_damascus.json"
SEED_PUBLISHED = "2024-12-07T10:00:00Z"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.fspath)
        if f"{os.sep}integration{os.sep}" in path:
            item.add_marker(pytest.mark.integration)
        elif f"{os.sep}e2e{os.sep}" in path:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
async def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    external = os.environ.get("SITREP_TEST_KAFKA_BOOTSTRAP")
    if external:
        yield external
        return
    broker = EmbeddedBroker(tmp_path_factory.mktemp("broker"))
    await broker.start()
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


@pytest.fixture(scope="session")
async def kafka_settings(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> SitrepSettings:
    settings = SitrepSettings(kafka_bootstrap=kafka_bootstrap, data_dir=tmp_path_factory.mktemp("data"))
    await ensure_topics(settings)
    return settings
