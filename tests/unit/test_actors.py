"""The actor registry and its data files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from domain.actors import ActorRegistry
from domain.errors import ReferenceDataError
from services.shared.knowledge import DATA_DIR, government_sides, load_registry


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return load_registry()


def test_every_shipped_file_loads(registry: ActorRegistry) -> None:
    ids = {c.id for c in registry.conflicts}
    assert {"syria", "ukraine", "sudan", "drc-east", "myanmar", "sahel"} <= ids
    assert any(
        s.name == "Syrian Observatory for Human Rights" and s.kind == "monitor" for s in registry.sources
    )
    assert any(s.name == "Reuters" and s.kind == "news_agency" for s in registry.sources)


def test_governments_follow_the_iso2_gov_convention(registry: ActorRegistry) -> None:
    syria = registry.government_of("SY")
    assert syria is not None
    assert (syria.id, syria.name, syria.side, syria.country) == (
        "sy-gov",
        "Syrian government",
        "sy-gov",
        "SY",
    )
    sudan = registry.government_of("SD")
    assert sudan is not None and sudan.name == "Sudanese Armed Forces"
    for iso2, side in government_sides().items():
        assert side == f"{iso2.lower()}-gov", iso2


def test_foreign_state_keeps_its_home_country_and_takes_the_conflicts_side(registry: ActorRegistry) -> None:
    syria = registry.conflicts_for(["SY"])[0]
    ukraine = registry.conflicts_for(["UA"])[0]
    in_syria = registry.government_of("RU", syria)
    in_ukraine = registry.government_of("RU", ukraine)
    assert in_syria is not None and in_ukraine is not None
    assert in_syria.id == in_ukraine.id == "ru-gov" and in_syria.country == "RU"
    assert in_syria.side == "sy-gov" and in_ukraine.side == "ru-gov"


def test_opponents(registry: ActorRegistry) -> None:
    ukraine = registry.conflicts_for(["UA"])[0]
    ua = registry.government_of("UA", ukraine)
    assert ua is not None
    opponent = registry.opponent(ua, ukraine)
    assert opponent is not None and opponent.id == "ru-gov"
    hts = registry.actor("hts", "syria")
    assert hts is not None
    gov = registry.opponent(hts, registry.conflicts_for(["SY"])[0])
    assert gov is not None and gov.id == "sy-gov"


def test_acronyms_are_case_sensitive(registry: ActorRegistry) -> None:
    entries = registry.alias_index[("hts",)]
    assert all(e.exact_case == "HTS" for e in entries)
    assert all(e.exact_case is None for e in registry.alias_index[("rebels",)])


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "conflict": "testland",
        "countries": ["TL"],
        "governments": {"TL": "tl-gov"},
        "opposition": "tl-rebels",
        "actors": [
            {
                "id": "tl-gov",
                "name": "Testland army",
                "kind": "government",
                "side": "tl-gov",
                "country": "TL",
            },
            {
                "id": "tl-rebels",
                "name": "Testland rebels",
                "side": "tl-reb",
                "country": "TL",
                "generic": True,
            },
        ],
    }
    doc.update(changes)
    return doc


def test_a_new_conflict_needs_only_data() -> None:
    registry = ActorRegistry.from_data([_doc()])
    gov = registry.government_of("TL")
    assert gov is not None and gov.id == "tl-gov"
    assert registry.government_sides() == {"TL": "tl-gov"}


@pytest.mark.parametrize(
    "bad",
    [
        {"governments": {"TL": "nobody"}},
        {"opposition": "nobody"},
        {"actors": [{"name": "no id"}]},
    ],
)
def test_malformed_data_is_a_reference_data_error(bad: dict[str, Any]) -> None:
    with pytest.raises(ReferenceDataError):
        ActorRegistry.from_data([_doc(**bad)])


def test_shipped_files_are_valid_json_with_required_keys() -> None:
    for path in sorted((DATA_DIR / "actors").glob("*.json")):
        doc = json.loads(Path(path).read_text("utf-8"))
        if "sources" in doc:
            continue
        assert {"conflict", "countries", "governments", "actors"} <= doc.keys(), path.name
