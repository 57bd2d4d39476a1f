"""`sitrep parse` as a user runs it: several inputs, bad ones reported, no broker."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas.alert import Alert, AlertKind, Severity
from schemas.common import ActorRef, Place
from schemas.control import ControlState
from schemas.event import SituationEvent
from services.alerts.filter import AlertFilter
from services.cli import main
from services.ingest.sources import count_inputs, read_paths
from services.shared.settings import Runtime, SitrepSettings
from tests.conftest import SEED

GOOD = "Syrian rebels captured the town of Saraqib in Idlib province on Monday, a war monitor said."


def test_parse_prints_events_and_reports_each_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / "empty.txt").write_text("")
    (folder / "binary.html").write_bytes(b"\x00\x01\x02")
    (folder / "envelope.json").write_text(json.dumps({"url": "https://example.org"}))
    (folder / "batch.jsonl").write_text(
        json.dumps({"text": GOOD.replace("Monday", "Tuesday")}) + "\n{broken\n"
    )

    code = main(["parse", str(SEED), str(folder), "--published-at", "2024-12-07T10:00:00Z"])

    out, err = capsys.readouterr()
    events = [SituationEvent.model_validate_json(line) for line in out.splitlines()]
    assert code == 1
    assert {e.place.name for e in events} >= {"Damascus", "Saraqib"}
    assert len({e.article_id for e in events}) == 3  # the seed, good.txt, and line 1 of batch.jsonl
    lines = err.strip().splitlines()
    assert len(lines) == 4, err
    assert any("empty.txt" in line and "empty" in line for line in lines)
    assert any("binary.html" in line and "binary" in line for line in lines)
    assert any("envelope.json" in line and "'text'" in line for line in lines)
    assert any("batch.jsonl:2" in line and "JSON" in line for line in lines)


def test_parse_uses_the_envelope_date_before_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dated.json"
    path.write_text(json.dumps({"text": GOOD, "published_at": "2024-12-03T09:00:00Z"}))
    assert main(["parse", str(path), "--published-at", "2030-01-01T00:00:00Z"]) == 0
    event = SituationEvent.model_validate_json(capsys.readouterr().out.splitlines()[0])
    assert event.occurred_at.start.date().isoformat() == "2024-12-02"  # "on Monday" before Tue 3 Dec
    assert event.published_at is not None and event.published_at.year == 2024


def test_naive_times_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["parse", str(SEED), "--published-at", "2024-12-07T10:00:00"])
    assert "timezone" in capsys.readouterr().err


# -- sitrep status / sitrep alerts against a stand-in API -------------------------------

T0 = datetime(2024, 12, 5, tzinfo=UTC)
HAMA = Place(id="geonames:170063", name="Hama", text="Hama")
HTS = ActorRef(id="hts", name="Hayat Tahrir al-Sham")


def an_alert(n: int, kind: AlertKind, severity: Severity) -> Alert:
    return Alert(
        alert_id=f"a{n}",
        kind=kind,
        severity=severity,
        place=HAMA,
        actor=HTS,
        message=f"Hama: alert {n}",
        event_ids=[],
        occurred_at=T0 - timedelta(hours=n),
    )


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """``httpx.get`` answering like the API of a running system; the URLs asked."""
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path))
    SitrepSettings().write_runtime(Runtime(kafka_bootstrap="127.0.0.1:1", api_url="http://api"))
    hama = ControlState(
        place=HAMA, status="held", controller=HTS, since=T0, confidence=0.9, updated_at=T0, version=1
    )
    alerts = [  # newest first, as the API serves them
        an_alert(1, "threat", "warning"),
        an_alert(2, "control_changed", "critical"),
        an_alert(3, "control_changed", "info"),
        an_alert(4, "claim_unconfirmed", "info"),
    ]
    bodies: dict[str, Any] = {
        "/readyz": {"processor": {"lag": 0, "stalled": False}},
        "/v1/control": {"places": [hama.model_dump(mode="json")]},
    }
    asked: list[str] = []

    def get(url: str, params: tuple[tuple[str, str], ...] = (), timeout: float = 0) -> httpx.Response:
        asked.append(str(httpx.URL(url, params=params)))
        path = url.removeprefix("http://api")
        if path == "/v1/alerts":  # filtered as GET /v1/alerts does
            kinds = [v for k, v in params if k == "kind"]
            wanted = AlertFilter.of(kinds, dict(params).get("min_severity"))  # type: ignore[arg-type]
            limit = int(dict(params).get("limit", 100))
            served = [a.model_dump(mode="json") for a in alerts if wanted.matches(a)][:limit]
            body: Any = {"count": len(served), "alerts": served}
        else:
            body = bodies[path]
        return httpx.Response(200, json=body, request=httpx.Request("GET", url))

    monkeypatch.setattr(httpx, "get", get)
    return asked


def test_status_prints_the_view_as_a_plain_table_off_a_terminal(
    api: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "processor lag: 0 record(s)"
    assert lines[1].split() == ["PLACE", "STATUS", "CONTROLLER", "SINCE", "CONF"]
    assert lines[2].split("  ")[0] == "Hama" and "2024-12-05T00:00Z  0.90" in lines[2]
    assert "\x1b[" not in "".join(lines)
    assert main(["status", "--color"]) == 0
    assert "\x1b[32mheld" in capsys.readouterr().out


def test_alerts_lists_the_latest_newest_first(api: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.rsplit(" ", 1)[1] for line in lines] == ["1", "2"]
    assert api[-1] == "http://api/v1/alerts?limit=2"


def test_alerts_filters_by_kind_and_severity(api: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "--kind", "control_changed", "--limit", "1"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "2024-12-04T22:00Z  critical  control_changed     Hama: alert 2"
    ]
    assert api[-1] == "http://api/v1/alerts?kind=control_changed&limit=1"
    assert main(["alerts", "--min-severity", "warning"]) == 0
    assert [line.rsplit(" ", 1)[1] for line in capsys.readouterr().out.splitlines()] == ["1", "2"]
    assert main(["alerts", "--kind", "threat", "--kind", "claim_unconfirmed", "--min-severity", "info"]) == 0
    assert [line.rsplit(" ", 1)[1] for line in capsys.readouterr().out.splitlines()] == ["1", "4"]
    assert api[-1].endswith("?kind=threat&kind=claim_unconfirmed&min_severity=info&limit=20")


def test_alerts_refuses_unknown_kinds_and_a_stray_from_start(
    api: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["alerts", "--kind", "coup"])
    assert "invalid choice" in capsys.readouterr().err
    assert main(["alerts", "--from-start"]) == 2
    assert "--follow" in capsys.readouterr().err


def test_without_a_running_system_both_say_how_to_start_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SITREP_KAFKA_BOOTSTRAP", raising=False)
    assert main(["alerts"]) == 2
    assert "sitrep run" in capsys.readouterr().err
    assert main(["alerts", "--follow"]) == 2
    assert "sitrep run" in capsys.readouterr().err


def test_the_ingest_progress_bar_counts_what_ingest_reads(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.json").write_text(json.dumps({"text": GOOD}))
    (tmp_path / "c.jsonl").write_text("\n".join([json.dumps({"text": GOOD}), "", "{broken", "  "]) + "\n")
    (tmp_path / "ignored.csv").write_text("x")
    paths = [tmp_path, tmp_path / "missing.txt"]
    assert count_inputs(paths) == len(list(read_paths(paths))) == 5
