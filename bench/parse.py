"""Parser throughput and cold start, interpreted and compiled.

    python bench/parse.py [--runs 5] [--articles 300]

Prints articles/s for ~6 kB articles (median of several runs, after start-up),
the same figure for a baseline that only splits the texts into sentences with
one regex (so the ratio says what the parsing costs on this machine), and the
cold start: a fresh interpreter that loads the parser and parses one article.
Each build is measured in its own interpreter: the source tree as it is, and
the mypyc-compiled parser in ``.compiled/`` when ``make compiled`` has built it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from domain.ids import article_id
from schemas.article import Article
from services.shared.knowledge import ensure_cache, load_parser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
COMPILED = ROOT / ".compiled"  # `make compiled`: the parser built with mypyc
TARGET_BYTES = 6_000
PUBLISHED = datetime(2024, 12, 7, 10, tzinfo=UTC)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def corpus(count: int) -> list[Article]:
    """``count`` distinct articles of about 6 kB, stitched from the fixtures so
    every one has its own text (and id), each ending at a sentence end."""
    texts = [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    out: list[Article] = []
    for n in range(count):
        parts: list[str] = []
        k = n
        while sum(len(p) for p in parts) < TARGET_BYTES:
            parts.append(texts[k % len(texts)])
            k += 1 + n % 3
        text = _cut(f"Report {n}.\n" + "\n".join(parts), TARGET_BYTES)
        out.append(Article(article_id=article_id(text), text=text, published_at=PUBLISHED))
    return out


def _cut(text: str, size: int) -> str:
    """``text`` ended at the first sentence end past ``size`` characters, so
    the articles average about ``size`` bytes rather than overshooting by half
    a fixture."""
    end = _SENTENCE.search(text, size)
    return text if end is None else text[: end.start()]


def rate(fn: object, articles: list[Article], runs: int) -> float:
    speeds = []
    for _ in range(runs):
        start = time.perf_counter()
        for article in articles:
            fn(article)  # type: ignore[operator]
        speeds.append(len(articles) / (time.perf_counter() - start))
    return statistics.median(speeds)


def cold_start() -> float:
    """Seconds for a fresh interpreter to load the parser and parse one article
    (imports resolve the way they do in this process: same ``sys.path``)."""
    code = (
        "import time; t=time.perf_counter();"
        "from datetime import UTC, datetime;"
        "from schemas.article import Article;"
        "from services.shared.knowledge import load_parser;"
        f"text=open({str(sorted(FIXTURES.glob('*.txt'))[0])!r}).read();"
        "p=load_parser(); p.parse(Article(article_id='a', text=text), datetime.now(UTC));"
        "print(time.perf_counter()-t)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path[1:] if p)}
    start = time.perf_counter()
    # Run outside the checkout, so its sources do not shadow a compiled build.
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env, cwd="/")
    return time.perf_counter() - start


def measure(runs: int, count: int) -> dict[str, float | str]:
    """Figures of the parser this interpreter imports."""
    import domain.parser

    ensure_cache()
    parser = load_parser()
    articles = corpus(count)
    parser.parse(articles[0], PUBLISHED)  # warm the gazetteer memo like a running worker
    return {
        "build": "compiled" if not domain.parser.__file__.endswith(".py") else "interpreted",
        "kb": statistics.mean(len(a.text.encode()) for a in articles) / 1000,
        "parse": rate(lambda a: parser.parse(a, PUBLISHED), articles, runs),
        "baseline": rate(lambda a: _SENTENCE.split(a.text), articles, runs),
        "cold": sorted(cold_start() for _ in range(3))[1],
    }


def measure_in_child(path: Path, runs: int, count: int) -> dict[str, float | str]:
    """``measure`` in a fresh interpreter importing Sitrep from ``path``."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", "--runs", str(runs), "--articles", str(count)],
        env={**os.environ, "PYTHONPATH": str(path)},
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float | str] = json.loads(out.stdout)
    return figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--measure", action="store_true", help="print this interpreter's figures as JSON")
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs, args.articles)))
        return 0
    builds = [measure_in_child(ROOT, args.runs, args.articles)]
    if (COMPILED / "domain").is_dir():
        builds.append(measure_in_child(COMPILED, args.runs, args.articles))
    print(f"articles: {args.articles} of {builds[0]['kb']:.1f} kB on average, median of {args.runs} runs")
    for b in builds:
        ratio = float(b["parse"]) / float(b["baseline"])
        print(
            f"{b['build']:>11}: parse {float(b['parse']):,.0f} articles/s; "
            f"baseline (regex sentence split) {float(b['baseline']):,.0f}/s, ratio {ratio:.4f}; "
            f"cold start {float(b['cold']):.2f} s (median of 3)"
        )
    if len(builds) == 2:
        print(f"compiled/interpreted: {float(builds[1]['parse']) / float(builds[0]['parse']):.2f}x")
    else:
        print("compiled: not built (make compiled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
