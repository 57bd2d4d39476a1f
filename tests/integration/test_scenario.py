"""The 2024 Syrian offensive, article by article, through the running system.

Twelve articles (examples/syria-2024/, described in examples/syria-2024.md) are
ingested one at a time in publication order into a broker of their own, with
the processor running as `sitrep run` starts it and the API served over HTTP.
After each one the test waits until both processor stages have committed
everything and the API has read everything, then checks the view the API
serves and the alerts a plain Kafka subscriber received for that article.

The articles include a repeat (#7 re-reports the fall of Hama), one that
arrives out of order (#12 recounts 27 Nov – 1 Dec on 9 Dec), hypotheticals,
repelled attacks and denials.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from domain.alert_rules import AlertRules
from domain.capitals import replay_stages
from schemas.alert import Alert
from schemas.control import ControlState
from schemas.event import SituationEvent
from schemas.topics import ALERTS, CAPITALS, CONTROL, EVENTS
from services.ingest.runner import ingest_targets
from services.shared.codec import encode
from services.shared.kafka import group_lag, make_producer, total_records
from services.shared.knowledge import capitals, government_sides
from services.shared.positions import encode_position
from services.shared.settings import SitrepSettings
from tests.conftest import ROOT
from tests.integration.conftest import broker_settings, serve_api, start_processor, stop_process
from tests.topics import read_topic
from tests.waiting import eventually

SCENARIO = ROOT / "examples" / "syria-2024"
ARTICLES = sorted(SCENARIO.glob("*.json"))
GOV, OPP, SDF = "sy-gov", "sy-opposition", "sy-sdf"

# Place names as the gazetteer displays them (GeoNames' transliterations).
ALEPPO, SARAQIB, MAARAT, KHAN = "Aleppo", "Saraqib", "Maarrat an Numan", "Khan Shaykhun"
HAMA, HOMS, DARAA, DEIR, PALMYRA = "Hamah", "Homs", "Dara", "Deir ez-Zor", "Tadmur"
DAMASCUS, TAL_RIFAAT = "Damascus", "Tall Rifat"


@dataclass(frozen=True)
class Step:
    """What the view must show and the alerts must say after one article.

    ``view``: place → (status, controller side, preferred controller id or
    None). ``required``: (kind, place, actor side or None for any). ``must_not``:
    (kind or "*", place)."""

    view: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    required: list[tuple[str, str, str | None]] = field(default_factory=list)
    must_not: list[tuple[str, str]] = field(default_factory=list)


# The tables of examples/syria-2024.md, row by row.
STEPS = [
    Step(  # 1: the offensive west of Aleppo
        view={ALEPPO: ("threatened", GOV, None)},
        required=[("threat", ALEPPO, OPP), ("claim_unconfirmed", "Anjara", OPP)],
        must_not=[("control_changed", ALEPPO), ("contested", ALEPPO)],
    ),
    Step(  # 2: HTS enters western Aleppo (reported, denied); claim on Saraqib
        view={ALEPPO: ("contested", GOV, None), SARAQIB: ("claimed", OPP, "hts")},
        required=[("contested", ALEPPO, OPP), ("claim_unconfirmed", SARAQIB, OPP)],
        must_not=[("control_changed", ALEPPO)],
    ),
    Step(  # 3: Aleppo falls; SNA advances on Tal Rifaat
        view={
            ALEPPO: ("held", OPP, None),
            SARAQIB: ("claimed", OPP, "hts"),
            TAL_RIFAAT: ("threatened", SDF, None),
        },
        required=[("control_changed", ALEPPO, OPP), ("threat", TAL_RIFAAT, None), ("threat", MAARAT, OPP)],
    ),
    Step(  # 4: Idlib towns; Reuters confirms the Saraqib claim
        view={SARAQIB: ("held", OPP, "hts"), MAARAT: ("held", OPP, None), KHAN: ("held", OPP, None)},
        required=[
            ("control_changed", MAARAT, OPP),
            ("control_changed", KHAN, OPP),
            ("control_changed", SARAQIB, OPP),
        ],
        must_not=[("*", ALEPPO)],
    ),
    Step(  # 5: fighting north of Hama; "did not enter", "If Hama falls"
        view={HAMA: ("threatened", GOV, None)},
        required=[("threat", HAMA, OPP)],
        must_not=[("control_changed", HAMA), ("claim_unconfirmed", HAMA), ("claim_disputed", HAMA)],
    ),
    Step(  # 6: Hama falls; "Seizing Homs would…"
        view={HAMA: ("held", OPP, None), HOMS: ("threatened", GOV, None)},
        required=[("control_changed", HAMA, OPP), ("threat", HOMS, OPP)],
        must_not=[("*", ALEPPO), ("capital_threatened", DAMASCUS)],
    ),
    Step(  # 7: a tabloid repeats the fall of Hama
        view={HAMA: ("held", OPP, None)},
        must_not=[("control_changed", HAMA), ("claim_unconfirmed", HAMA)],
    ),
    Step(  # 8: Daraa and Deir ez-Zor; Iran-backed militias leave
        view={DARAA: ("held", OPP, None), DEIR: ("held", SDF, "sdf"), HOMS: ("threatened", GOV, None)},
        required=[
            ("control_changed", DARAA, OPP),
            ("control_changed", DEIR, SDF),
            ("force_posture", DEIR, None),
            ("force_posture", "Albu Kamal", None),
        ],
        must_not=[("control_changed", HOMS), ("contested", HOMS)],
    ),
    Step(  # 9: the seed article: six miles from Damascus
        view={PALMYRA: ("held", OPP, None), DAMASCUS: ("threatened", GOV, None), DARAA: ("held", OPP, None)},
        required=[
            ("control_changed", PALMYRA, OPP),
            ("threat", DAMASCUS, OPP),
            ("capital_threatened", DAMASCUS, OPP),
            ("claim_unconfirmed", "Zakiyah", OPP),
            ("force_posture", "Tartus", None),
        ],
        must_not=[("control_changed", HAMA), ("control_changed", DARAA), ("control_changed", DAMASCUS)],
    ),
    Step(  # 10: HTS inside Homs (reported, denied); the south advances on Damascus
        view={HOMS: ("contested", GOV, None), DAMASCUS: ("threatened", GOV, None)},
        required=[("contested", HOMS, OPP), ("threat", DAMASCUS, OPP)],
        must_not=[("control_changed", HOMS), ("control_changed", DAMASCUS)],
    ),
    Step(  # 11: Damascus falls; Israeli troops enter the buffer zone
        view={DAMASCUS: ("held", OPP, None), HOMS: ("held", OPP, "hts")},
        required=[
            ("control_changed", DAMASCUS, OPP),
            ("control_changed", HOMS, OPP),
            ("force_posture", "Al Qunaytirah", None),
        ],
        must_not=[("threat", "Al Qunaytirah")],
    ),
    Step(  # 12: analysis of how Aleppo fell, arriving out of order
        view={ALEPPO: ("held", OPP, None), TAL_RIFAAT: ("held", OPP, "sna")},
        required=[("control_changed", TAL_RIFAAT, OPP)],
        # Rebels around a capital they now hold threaten nobody.
        must_not=[("*", ALEPPO), ("capital_threatened", DAMASCUS)],
    ),
]


@pytest.fixture(scope="module")
async def scenario_system(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[SitrepSettings, str]]:
    """A broker, processor and API of its own: the seed article is also #9 here,
    and the session broker has it already."""
    folder = tmp_path_factory.mktemp("scenario")
    async with broker_settings(folder) as settings:
        # Commits every half second, so that "everything folded" shows quickly.
        proc = start_processor(settings, folder / "processor.log", {"SITREP_COMMIT_INTERVAL_S": "0.5"})
        try:
            async with serve_api(settings) as url:
                yield settings, url
        finally:
            stop_process(proc)


async def settle(settings: SitrepSettings, http: httpx.AsyncClient) -> None:
    """Wait until both stages have committed everything (the first stage flushes
    what it hands the second before it commits, so the order of the checks
    matters) and the API has read the whole control topic."""
    for topic in (EVENTS.name, CAPITALS.name):
        await eventually(folded(settings, topic), 60, f"the processor to fold {topic}")
    control_end = await total_records(settings, CONTROL.name)

    async def api_caught_up() -> bool:
        positions = (await http.get("/readyz")).json().get("positions", {})
        read = sum(v for k, v in positions.items() if k.startswith(CONTROL.name)) if positions else 0
        return read >= control_end

    await eventually(api_caught_up, 30, "the API to read sitrep.control.v1")


def folded(settings: SitrepSettings, topic: str) -> Callable[[], Awaitable[bool]]:
    async def probe() -> bool:
        return await group_lag(settings, settings.processor_group, topic) == 0

    return probe


def side(actor: dict[str, Any] | None) -> str | None:
    return None if actor is None else actor.get("side")


def check_view(step: int, expected: Step, places: list[dict[str, Any]]) -> None:
    by_name = {p["place"]["name"]: p for p in places}
    for name, (status, controller_side, preferred) in expected.view.items():
        state = by_name.get(name)
        assert state is not None, f"after #{step}: no state for {name}; have {sorted(by_name)}"
        got = (state["status"], side(state["controller"]))
        assert got == (status, controller_side), (
            f"after #{step}: {name} is {got}, expected {(status, controller_side)}"
        )
        if preferred is not None:
            assert state["controller"]["id"] == preferred, (
                f"after #{step}: {name} held by {state['controller']}"
            )


def check_alerts(step: int, expected: Step, alerts: list[Alert]) -> None:
    said = [(a.kind, a.place.name, a.actor.side if a.actor else None) for a in alerts]
    for kind, place, actor_side in expected.required:
        assert any(k == kind and p == place and (actor_side in (None, s)) for k, p, s in said), (
            f"#{step}: no {kind} at {place} by {actor_side}; said {said}"
        )
    for kind, place in expected.must_not:
        bad = [x for x in said if x[1] == place and kind in ("*", x[0])]
        assert not bad, f"#{step}: must not say {kind} at {place}; said {bad}"


async def test_the_offensive_article_by_article(scenario_system: tuple[SitrepSettings, str]) -> None:
    settings, url = scenario_system
    subscriber = AIOKafkaConsumer(
        ALERTS.name,
        bootstrap_servers=settings.resolve_bootstrap(),
        group_id=f"scenario-subscriber-{uuid.uuid4()}",
        auto_offset_reset="earliest",
    )
    await subscriber.start()
    everything: list[Alert] = []
    try:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            await eventually(lambda: _ready(http), 60, "the API to be ready")
            known: list[tuple[datetime, list[dict[str, Any]]]] = []  # the live view after each step
            paged: list[str] = []  # event ids served by /v1/events, one cursor followed throughout
            cursor: str | None = None
            for step, (article, expected) in enumerate(zip(ARTICLES, STEPS, strict=True), start=1):
                summary = await ingest_targets(settings, [article], datetime.now(UTC))
                assert summary.published == 1 and not summary.failures, (article.name, summary)
                # Read-your-writes: the view waits until it reflects this ingest's events.
                token = encode_position(summary.position)
                fresh = await http.get("/v1/control", params={"min_position": token, "wait_s": 30})
                assert fresh.status_code == 200, fresh.text
                reflected = fresh.json()["offsets"]
                for partition, offset in summary.position.items():
                    assert reflected[f"{EVENTS.name}/{partition}"] >= offset
                assert fresh.headers["X-Sitrep-Position"] == fresh.json()["position"]
                check_view(step, expected, fresh.json()["places"])
                await settle(settings, http)
                places = (await http.get("/v1/control")).json()["places"]
                check_view(step, expected, places)
                known.append((datetime.now(UTC), places))
                new = await drain(subscriber)
                check_alerts(step, expected, new)
                everything.extend(new)
                cursor = await page_events(http, cursor, paged)

            # Each alert reached the subscriber once.
            assert len({a.alert_id for a in everything}) == len(everything)
            # Replaying the event log through both stages of the same fold gives the live view.
            events = [SituationEvent.model_validate(r) for r in await read_topic(settings, EVENTS.name)]
            rules = AlertRules(capitals=capitals(), government_sides=government_sides())
            views, _, replayed = replay_stages(events, rules)
            live = {
                p["place"]["id"] or p["place"]["name"]: p
                for p in (await http.get("/v1/control")).json()["places"]
            }
            for view in views.values():
                state = view.state.model_dump(mode="json")
                assert live[state["place"]["id"] or state["place"]["name"]] == state
            assert {a.alert_id for a in replayed if a.kind == "capital_threatened"} <= {
                a.alert_id for a in everything
            }
            # Ingesting the whole folder again adds nothing.
            again = await ingest_targets(settings, [SCENARIO], datetime.now(UTC))
            assert (again.published, again.duplicates) == (0, len(ARTICLES)), again
            await check_audit(settings, http, known, paged, events)
    finally:
        await subscriber.stop()


async def page_events(http: httpx.AsyncClient, cursor: str | None, served: list[str]) -> str:
    """Follow /v1/events from ``cursor`` to what is known now, small pages; the next cursor."""
    while True:
        page = (
            await http.get("/v1/events", params={"limit": 7, **({"cursor": cursor} if cursor else {})})
        ).json()
        served.extend(item["event"]["event_id"] for item in page["events"])
        cursor = page["next_cursor"]
        if not page["more"]:
            return cursor


def by_name(state: dict[str, Any]) -> str:
    return str(state["place"]["name"])


def sitrep_command(settings: SitrepSettings, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SITREP_KAFKA_BOOTSTRAP": settings.resolve_bootstrap(),
        "SITREP_DATA_DIR": str(settings.data_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *argv], env=env, capture_output=True, text=True, timeout=120
    )


async def check_audit(
    settings: SitrepSettings,
    http: httpx.AsyncClient,
    known: list[tuple[datetime, list[dict[str, Any]]]],
    paged: list[str],
    events: list[SituationEvent],
) -> None:
    """The audit issue's checks, on the whole story."""
    # One cursor, followed while articles kept arriving, served every event once.
    assert sorted(paged) == sorted(e.event_id for e in events)
    # Bitemporal: the view as known after each step is the view that was live then.
    for moment, places in known:
        then = (await http.get("/v1/control", params={"known_at": moment.isoformat()})).json()
        assert then["places"] == places, f"known_at={moment}"
    first = min(e.occurred_at.start for e in events)
    before = (
        await http.get("/v1/control", params={"as_of": (first - timedelta(seconds=1)).isoformat()})
    ).json()
    assert before["count"] == 0
    # Aleppo's history: the fall to the opposition, with the events and articles behind it.
    aleppo = next(p for p in known[-1][1] if p["place"]["name"] == ALEPPO)["place"]["id"]
    history = (await http.get(f"/v1/control/{aleppo}/history")).json()
    sides = [side(c["change"]["state"]["controller"]) for c in history["changes"]]
    assert OPP in sides, sides
    for change in history["changes"]:
        cause = change["events"][0]
        assert cause["event"]["event_id"] == change["change"]["caused_by"]
        assert cause["event"]["evidence"]["sentence"] and cause["article"]["title"]
        article = (await http.get(f"/v1/articles/{cause['article']['article_id']}")).json()
        assert cause["event"]["event_id"] in {e["event"]["event_id"] for e in article["events"]}
    assert (await http.get("/v1/articles/nope")).status_code == 404
    assert (await http.get("/v1/events", params={"cursor": "junk!"})).status_code == 400
    # sitrep replay writes the rebuilt view; cut before the first event, it is empty.
    out = settings.data_dir / "replayed.jsonl"
    written = sitrep_command(settings, "replay", "--out", str(out))
    assert written.returncode == 0, written.stderr
    rebuilt = sorted(
        (json.loads(line) for line in out.read_text().splitlines()), key=lambda p: p["place"]["name"]
    )
    assert rebuilt == sorted(known[-1][1], key=lambda p: p["place"]["name"])
    early = sitrep_command(settings, "replay", "--until", (first - timedelta(seconds=1)).isoformat())
    assert early.returncode == 0 and early.stdout == "", early.stderr
    # sitrep replay --verify: the rebuilt view equals the live control topic ...
    verified = sitrep_command(settings, "replay", "--verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # ... and the digest recomputed over the same records matches.
    digest = settings.data_dir / "digest.json"
    assert sitrep_command(settings, "audit", "digest", "--out", str(digest)).returncode == 0
    checked = sitrep_command(settings, "audit", "digest", "--check", str(digest))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # A corrupted control record is caught, with the place and field named.
    live = next(p for p in known[-1][1] if p["place"]["name"] == ALEPPO)
    forged = ControlState.model_validate({**live, "confidence": 0.123})
    producer = make_producer(settings)
    await producer.start()
    try:
        await producer.send_and_wait(CONTROL.name, encode(forged), key=aleppo.encode())
    finally:
        await producer.stop()
    caught = sitrep_command(settings, "replay", "--verify")
    assert caught.returncode == 1, caught.stdout + caught.stderr
    assert f"{aleppo}: confidence: rebuilt" in caught.stdout and "0.123" in caught.stdout


async def _ready(http: httpx.AsyncClient) -> bool:
    response = await http.get("/readyz")
    return response.status_code == 200


async def drain(subscriber: AIOKafkaConsumer) -> list[Alert]:
    """Every alert published so far that this subscriber has not seen."""
    out: list[Alert] = []
    while True:
        batch = await subscriber.getmany(timeout_ms=1000)
        records = [r for rs in batch.values() for r in rs]
        if not records:
            return out
        out.extend(Alert.model_validate_json(r.value) for r in records)


def test_the_scenario_covers_every_article() -> None:
    assert len(ARTICLES) == len(STEPS) == 12
    assert SCENARIO.with_suffix(".md").is_file()
    assert Path(ARTICLES[8]).name == "2024-12-07_syria_rebels_near_damascus.json"
