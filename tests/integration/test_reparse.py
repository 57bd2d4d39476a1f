"""sitrep reparse on a broker of its own: the same parser reads the articles the
same way (no difference), a changed parser's difference is named place by
place, and a topic already used is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.errors import ConfigurationError
from domain.ids import place_key
from domain.parser import ArticleParser
from schemas.article import Article
from schemas.event import SituationEvent
from services.audit.reparse import reparse
from services.audit.replay import read_event_log
from services.ingest.runner import ingest_targets
from services.shared.kafka import total_records
from services.shared.knowledge import load_parser
from services.shared.rules import build_rules
from services.shared.settings import RuleSettings
from tests.conftest import ROOT
from tests.integration.conftest import broker_settings

STORY = sorted((ROOT / "examples" / "syria-2024").glob("*.json"))[:4]


class ForgetsAleppo:
    """A 'new parser' that no longer sees anything in Aleppo."""

    def __init__(self, parser: ArticleParser) -> None:
        self.parser = parser

    def parse(self, article: Article, reference_time: datetime) -> list[SituationEvent]:
        return [e for e in self.parser.parse(article, reference_time) if e.place.name != "Aleppo"]


async def test_reparse_with_the_same_parser_changes_nothing_and_a_new_one_is_diffed(tmp_path: Path) -> None:
    async with broker_settings(tmp_path) as settings:
        summary = await ingest_targets(settings, STORY, datetime.now(UTC))
        assert summary.published == len(STORY) and summary.events > 0
        rules = build_rules(RuleSettings())
        parser = load_parser()

        same = await reparse(settings, parser, rules, "sitrep.events.v1.reparse-same")
        assert (same.articles, same.events) == (len(STORY), summary.events)
        assert same.differences == []
        assert await total_records(settings, "sitrep.events.v1.reparse-same") == summary.events

        changed = await reparse(settings, ForgetsAleppo(parser), rules, "sitrep.events.v1.reparse-new")
        assert changed.events < summary.events
        assert changed.differences, "dropping Aleppo's events must show"
        # Only Aleppo differs, and it is gone from the new view.
        old = await read_event_log(settings)
        aleppo = {place_key(r.event.place) for r in old.recorded if r.event.place.name == "Aleppo"}
        assert {line.split(": ")[0] for line in changed.differences} == aleppo
        assert changed.differences == [f"{key}: only in the old view" for key in sorted(aleppo)]

        with pytest.raises(ConfigurationError, match="already holds"):
            await reparse(settings, parser, rules, "sitrep.events.v1.reparse-same")
