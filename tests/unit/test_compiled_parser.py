"""The mypyc-compiled parser (``make compiled``) reads every article exactly as
the interpreted one does.

mypyc turns annotations into runtime checks and native types, so a value that
does not match its annotation raises in the compiled build where plain Python
would carry on; and the build is what the Docker image ships. Both builds
parse the same texts here (the fixtures, the dev set, the examples, and random
mixes of grammar fragments and noise), and their events must be identical.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from schemas.article import Article
from services.shared.knowledge import load_parser
from tests.conftest import DEV_SET, ROOT
from tests.unit.test_parser_fuzz import GRAMMAR_FRAGMENTS

COMPILED = ROOT / ".compiled"
WHEN = datetime(2024, 12, 7, 10, tzinfo=UTC)

# Runs in the compiled build: texts (JSON list) on stdin, events on stdout.
_CHILD = """
import json, sys
from datetime import datetime
import domain.parser
from schemas.article import Article
from services.shared.knowledge import load_parser
assert not domain.parser.__file__.endswith(".py"), domain.parser.__file__
parser = load_parser()
when = datetime.fromisoformat(sys.argv[1])
out = []
for text in json.load(sys.stdin):
    events = parser.parse(Article(article_id="a", text=text), when)
    out.append([e.model_dump(mode="json") for e in events])
json.dump(out, sys.stdout)
"""


def corpus() -> list[str]:
    files = [
        *sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")),
        *sorted(DEV_SET.rglob("*.txt")),
    ]
    texts = [p.read_text("utf-8") for p in files]
    for path in sorted((ROOT / "examples").rglob("*.json")):
        texts.append(json.loads(path.read_text("utf-8"))["text"])
    rng = random.Random(20241207)
    for _ in range(200):
        texts.append(" ".join(rng.choice(GRAMMAR_FRAGMENTS) for _ in range(rng.randint(1, 60))))
    return texts


def compiled_build() -> Path:
    """The compiled build, made by ``make compiled`` when it is missing or
    older than the sources."""
    subprocess.run(["make", "--no-print-directory", "compiled"], cwd=ROOT, check=True)
    return COMPILED


def parse_in_compiled_build(path: Path, texts: list[str]) -> list[list[dict[str, object]]]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, WHEN.isoformat()],
        input=json.dumps(texts),
        env={**os.environ, "PYTHONPATH": str(path)},
        cwd="/",  # not the checkout, whose sources would shadow the build
        capture_output=True,
        text=True,
        check=True,
    )
    events: list[list[dict[str, object]]] = json.loads(out.stdout)
    return events


def test_compiled_parser_gives_the_same_events() -> None:
    texts = corpus()
    parser = load_parser()
    articles = [Article(article_id="a", text=t) for t in texts]
    interpreted = [[e.model_dump(mode="json") for e in parser.parse(a, WHEN)] for a in articles]
    compiled = parse_in_compiled_build(compiled_build(), texts)
    assert sum(map(len, interpreted)) > 200  # the texts do say things
    for text, mine, theirs in zip(texts, interpreted, compiled, strict=True):
        assert theirs == mine, text[:200]
