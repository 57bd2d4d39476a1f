"""Parser throughput and cold start.

    python bench/parse.py [--runs 5] [--articles 300]

Prints articles/s for ~6 kB articles (median of several runs, after start-up),
the same figure for a baseline that only splits the texts into sentences with
one regex (so the ratio says what the parsing costs on this machine), and the
cold start: a fresh interpreter that loads the parser and parses one article.
"""

from __future__ import annotations

import argparse
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
TARGET_BYTES = 6_000
PUBLISHED = datetime(2024, 12, 7, 10, tzinfo=UTC)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def corpus(count: int) -> list[Article]:
    """``count`` distinct articles of about 6 kB, stitched from the fixtures so
    every one has its own text (and id)."""
    texts = [p.read_text("utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    out: list[Article] = []
    for n in range(count):
        parts: list[str] = []
        k = n
        while sum(len(p) for p in parts) < TARGET_BYTES:
            parts.append(texts[k % len(texts)])
            k += 1 + n % 3
        text = f"Report {n}.\n" + "\n".join(parts)
        out.append(Article(article_id=article_id(text), text=text, published_at=PUBLISHED))
    return out


def rate(fn: object, articles: list[Article], runs: int) -> float:
    speeds = []
    for _ in range(runs):
        start = time.perf_counter()
        for article in articles:
            fn(article)  # type: ignore[operator]
        speeds.append(len(articles) / (time.perf_counter() - start))
    return statistics.median(speeds)


def cold_start() -> float:
    code = (
        "import time; t=time.perf_counter();"
        "from datetime import UTC, datetime;"
        "from schemas.article import Article;"
        "from services.shared.knowledge import load_parser;"
        f"text=open({str(sorted(FIXTURES.glob('*.txt'))[0])!r}).read();"
        "p=load_parser(); p.parse(Article(article_id='a', text=text), datetime.now(UTC));"
        "print(time.perf_counter()-t)"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    ensure_cache()
    parser = load_parser()
    articles = corpus(args.articles)
    size = statistics.mean(len(a.text.encode()) for a in articles)
    parser.parse(articles[0], PUBLISHED)  # warm the gazetteer memo like a running worker
    parsed = rate(lambda a: parser.parse(a, PUBLISHED), articles, args.runs)
    baseline = rate(lambda a: _SENTENCE.split(a.text), articles, args.runs)
    colds = sorted(cold_start() for _ in range(3))
    print(f"articles: {len(articles)} of {size / 1000:.1f} kB on average, {args.runs} runs")
    print(f"parse: {parsed:,.0f} articles/s (median)")
    ratio = parsed / baseline
    print(f"baseline (regex sentence split): {baseline:,.0f} articles/s; parse/baseline = {ratio:.4f}")
    print(f"cold start (fresh process: load parser + parse one article): {colds[1]:.2f} s (median of 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
