"""Our own labelled articles (tests/fixtures/), scored with the project's scorer
(../shared/eval/score.py, the one the held-out evaluation uses).

The set is meant to grow with hard cases the parser does not handle yet, so the
aggregate is held to a floor that only ever goes up, while a `must_not`
violation (a hypothetical, negated, repelled or denied event reported as fact)
fails on any article: those are the errors a user must never see.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from domain.parser import ArticleParser
from schemas.article import Article
from services.shared.knowledge import load_parser
from tests.conftest import SHARED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SCORER = SHARED / "eval" / "score.py"

# Raise these when the parser improves; never lower them to make a change pass.
# They were 0.95 / 0.90 on the first 11 articles; six harder ones came in with
# the same commit as these values (measured 0.907 / 0.866 on all 17).
F1_FLOOR = 0.90
ACTOR_ACC_FLOOR = 0.85


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sitrep_eval_score", SCORER)
    assert spec is not None and spec.loader is not None, f"the scorer is missing: {SCORER}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def manifest() -> list[dict[str, Any]]:
    articles: list[dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))["articles"]
    return articles


def predictions(parser: ArticleParser, entry: dict[str, Any]) -> list[dict[str, Any]]:
    text = (FIXTURES / entry["file"]).read_text("utf-8")
    published = datetime.fromisoformat(entry["published_at"].replace("Z", "+00:00"))
    article = Article(article_id="fixture", text=text, published_at=published)
    return [json.loads(e.model_dump_json()) for e in parser.parse(article, published)]


@pytest.fixture(scope="module")
def scored() -> dict[str, dict[str, Any]]:
    score = scorer()
    parser = load_parser()
    out: dict[str, dict[str, Any]] = {}
    for entry in manifest():
        gold, must_not = score.load_labels(FIXTURES / entry["labels"])
        out[entry["file"]] = score.score_article(gold, must_not, predictions(parser, entry))
    return out


@pytest.mark.parametrize("name", [e["file"] for e in manifest()])
def test_no_article_reports_what_it_must_not(scored: dict[str, dict[str, Any]], name: str) -> None:
    assert scored[name]["violations"] == []


def test_the_set_scores_above_its_floor(scored: dict[str, dict[str, Any]]) -> None:
    score = scorer()
    tp = sum(s["tp"] for s in scored.values())
    fp = sum(s["fp"] for s in scored.values())
    fn = sum(s["fn"] for s in scored.values())
    actor_ok = sum(s["actor_ok"] for s in scored.values())
    _, _, f1 = score.prf(tp, fp, fn)
    assert f1 >= F1_FLOOR, {
        k: (v["missed"], v["extra"]) for k, v in scored.items() if v["missed"] or v["extra"]
    }
    assert actor_ok / tp >= ACTOR_ACC_FLOOR
