"""Reading and screening inputs: every bad input gets a one-line reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain import ids
from domain.errors import (
    BinaryInput,
    EmptyInput,
    InputTooLarge,
    InvalidEnvelope,
    UndecodableInput,
    UnknownSchemaVersion,
    UnsupportedLanguage,
)
from domain.screening import decode_article_bytes, screen_text
from schemas.event import SituationEvent
from services.ingest.sources import ArticleInput, InputFailure, read_paths
from services.shared.codec import decode
from services.shared.deadletter import dead_letter

ENGLISH = "Rebels captured the town of Saraqib on Monday after government troops withdrew, residents said."


def read_one(path: Path) -> ArticleInput | InputFailure:
    (item,) = list(read_paths([path]))
    return item


def test_screening_rejects_what_cannot_be_parsed() -> None:
    with pytest.raises(EmptyInput):
        screen_text("  \n\t ")
    with pytest.raises(InputTooLarge):
        screen_text("a" * 101, max_bytes=100)
    with pytest.raises(BinaryInput):
        screen_text("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 3 + ENGLISH)
    with pytest.raises(UnsupportedLanguage):
        screen_text(
            "Die Rebellen haben am Montag die Stadt Saraqib eingenommen, nachdem sich die "
            "Regierungstruppen zurückgezogen hatten, sagten Anwohner der Stadt gegenüber Reportern."
        )
    assert screen_text(ENGLISH) == ENGLISH
    assert screen_text("Rebels take Hama") == "Rebels take Hama"  # a headline is too short to judge


def test_decoding_names_the_offending_byte() -> None:
    with pytest.raises(UndecodableInput, match="0xe9"):
        decode_article_bytes("Café".encode("latin-1"))
    with pytest.raises(BinaryInput):
        decode_article_bytes(b"PK\x03\x04\x00\x00")
    assert decode_article_bytes("\ufeffHello".encode()) == "Hello"


def test_files_of_every_supported_kind_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b.json").write_text(
        json.dumps(
            {
                "text": ENGLISH + " B",
                "url": "https://example.org/b",
                "title": "B",
                "outlet": "Wire",
                "published_at": "2024-12-07T10:00:00Z",
            }
        )
    )
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps({"text": f"{ENGLISH} {i}"}) for i in range(3)))
    (tmp_path / "d.html").write_text(
        "<html><head><title>T</title><meta property='article:published_time' content='2024-12-06T08:00:00Z'>"
        "<script>var x = 'Rebels captured Aleppo';</script></head>"
        f"<body><nav>Menu</nav><p>{ENGLISH}</p><p>Second paragraph.</p></body></html>"
    )
    (tmp_path / "notes.bin").write_bytes(b"\x00")  # unsupported suffix: not an article
    items = list(read_paths([tmp_path]))
    assert all(isinstance(i, ArticleInput) for i in items), items
    articles = [i for i in items if isinstance(i, ArticleInput)]
    assert len(articles) == 6
    json_item = next(a for a in articles if a.source.endswith("b.json"))
    assert json_item.published_at == datetime(2024, 12, 7, 10, tzinfo=UTC) and json_item.outlet == "Wire"
    html_item = next(a for a in articles if a.source.endswith("d.html"))
    assert html_item.title == "T" and html_item.published_at == datetime(2024, 12, 6, 8, tzinfo=UTC)
    assert (
        "Aleppo" not in html_item.text
        and "Menu" not in html_item.text
        and "Second paragraph." in html_item.text
    )
    assert {a.source.rsplit(":", 1)[-1] for a in articles if ".jsonl" in a.source} == {"1", "2", "3"}


@pytest.mark.parametrize(
    ("name", "content", "error", "reason"),
    [
        ("empty.txt", b"", EmptyInput, "empty"),
        ("bin.txt", bytes(range(256)), BinaryInput, "binary"),
        ("latin.txt", "Caf\xe9 in Goma".encode("latin-1"), UndecodableInput, "UTF-8"),
        ("env.json", json.dumps({"title": "x"}).encode(), InvalidEnvelope, "'text'"),
        ("bad.json", b"{not json", InvalidEnvelope, "not valid JSON"),
        (
            "when.json",
            json.dumps({"text": ENGLISH, "published_at": "yesterday"}).encode(),
            InvalidEnvelope,
            "ISO 8601",
        ),
        (
            "naive.json",
            json.dumps({"text": ENGLISH, "published_at": "2024-12-07T10:00:00"}).encode(),
            InvalidEnvelope,
            "timezone",
        ),
    ],
)
def test_bad_files_fail_with_a_reason(
    tmp_path: Path, name: str, content: bytes, error: type, reason: str
) -> None:
    (tmp_path / name).write_bytes(content)
    item = read_one(tmp_path / name)
    assert isinstance(item, InputFailure) and isinstance(item.error, error)
    assert reason in str(item) and str(item).startswith(str(tmp_path / name))


def test_a_bad_line_in_jsonl_does_not_stop_the_others(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"text": ENGLISH}),
                "{oops",
                json.dumps({"url": "x"}),
                json.dumps({"text": ENGLISH + " again"}),
            ]
        )
    )
    items = list(read_paths([path]))
    assert [type(i).__name__ for i in items] == [
        "ArticleInput",
        "InputFailure",
        "InputFailure",
        "ArticleInput",
    ]
    assert items[1].source.endswith(":2")


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    item = read_one(tmp_path / "nope.txt")
    assert isinstance(item, InputFailure) and "no such file" in str(item)


def test_article_ids_ignore_cosmetic_whitespace() -> None:
    assert ids.article_id("Rebels  took\nHama.") == ids.article_id(" Rebels took Hama. ")
    assert ids.article_id("Rebels took Hama.") != ids.article_id("Rebels took Homs.")


def test_codec_errors_name_the_problem() -> None:
    with pytest.raises(InvalidEnvelope, match="not JSON"):
        decode(b"{", SituationEvent)
    with pytest.raises(UnknownSchemaVersion, match="99"):
        decode(b'{"schema_version": 99}', SituationEvent)
    with pytest.raises(UndecodableInput):
        decode(b"\xff\xfe", SituationEvent)
    with pytest.raises(InvalidEnvelope, match="SituationEvent"):
        decode(b'{"schema_version": 1}', SituationEvent)


def test_dead_letters_keep_binary_input_as_base64() -> None:
    now = datetime(2024, 12, 7, tzinfo=UTC)
    letter = dead_letter("x.bin", "read", BinaryInput("binary"), b"\x00\x01", now)
    assert letter.input_encoding == "base64" and letter.input == "AAE=" and letter.input_size == 2
    text_letter = dead_letter("x.txt", "read", EmptyInput("empty"), "", now)
    assert text_letter.input_encoding == "utf-8" and text_letter.error == "empty"
