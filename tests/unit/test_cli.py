"""`sitrep parse` as a user runs it: several inputs, bad ones reported, no broker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.event import SituationEvent
from services.cli import main
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
