"""Export the JSON Schema of every contract to ``schemas/json/`` (checked in).

python -m schemas.export          # rewrite the files
python -m schemas.export --check  # exit 1 when they drift from the models
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.alert import Alert
from schemas.article import Article
from schemas.capital import CapitalSignal
from schemas.control import ControlState
from schemas.deadletter import DeadLetter
from schemas.event import SituationEvent
from schemas.ingest import SeenItem

JSON_DIR = Path(__file__).parent / "json"
MODELS: dict[str, type[BaseModel]] = {
    "article.v1.json": Article,
    "situation_event.v1.json": SituationEvent,
    "control_state.v1.json": ControlState,
    "alert.v1.json": Alert,
    "deadletter.v1.json": DeadLetter,
    "capital_signal.v1.json": CapitalSignal,
    "seen_item.v1.json": SeenItem,
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


def drifted() -> list[str]:
    return [
        name
        for name, model in MODELS.items()
        if not (JSON_DIR / name).exists() or (JSON_DIR / name).read_text("utf-8") != render(model)
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = drifted()
        for name in stale:
            print(f"schemas/json/{name} is out of date; run: python -m schemas.export", file=sys.stderr)
        return 1 if stale else 0
    JSON_DIR.mkdir(exist_ok=True)
    for name, model in MODELS.items():
        (JSON_DIR / name).write_text(render(model), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
