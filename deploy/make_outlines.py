"""Make ``services/api/static/countries.json``, the country outlines of the map page.

Run once, by hand; the output is committed and shipped in the package, so the
page needs no tile server, CDN or network at all::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python deploy/make_outlines.py /tmp/package/countries-110m.json

The input is ``countries-110m.json`` of the npm package ``world-atlas`` 2.0.2
(TopoJSON by Mike Bostock, ISC licence) built from Natural Earth's 1:110m
admin-0 countries (public domain, naturalearthdata.com). This script decodes
the TopoJSON arcs (quantized, delta-encoded, shared between neighbours) into
one closed ring of longitude/latitude per polygon part, rounds the
coordinates, drops points that rounding made repeat, and writes each ring as a
flat list ``[lon, lat, lon, lat, ...]``. Holes are kept as rings too; the page
draws them with ``fill-rule: evenodd``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "services" / "api" / "static" / "countries.json"
SOURCE = (
    "Natural Earth 1:110m admin-0 countries (public domain, naturalearthdata.com), "
    "via countries-110m.json of the npm package world-atlas 2.0.2 (ISC licence, Mike Bostock)"
)

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs in longitude/latitude: undo the quantization and the delta encoding."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_of(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """One ring from its arcs; ``~i`` (a negative index) is arc ``i`` reversed, and each
    arc after the first starts where the previous one ended."""
    ring: list[Point] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def rounded(ring: list[Point], digits: int) -> list[float]:
    flat: list[float] = []
    last: tuple[float, float] | None = None
    for lon, lat in ring:
        point = (round(lon, digits), round(lat, digits))
        if point != last:
            flat.extend(point)
            last = point
    return flat


def outlines(topology: dict[str, Any], digits: int) -> list[dict[str, Any]]:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [rounded(ring_of(ring, arcs), digits) for polygon in polygons for ring in polygon]
        rings = [ring for ring in rings if len(ring) >= 6]  # at least three distinct points
        if rings:
            name = geometry.get("properties", {}).get("name", "")
            countries.append({"id": geometry.get("id"), "name": name, "rings": rings})
    countries.sort(key=lambda c: c["name"])
    return countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="countries-110m.json from the npm package world-atlas@2")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--digits", type=int, default=2, help="decimal places kept (2: 0.01°, about 1 km)")
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    document = {
        "source": SOURCE,
        "license": "public domain (Natural Earth); conversion: deploy/make_outlines.py",
        "format": "countries[].rings: closed rings as flat [lon, lat, lon, lat, ...] lists, WGS84 degrees",
        "countries": outlines(topology, args.digits),
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(document['countries'])} countries, {len(text) / 1000:.0f} kB")


if __name__ == "__main__":
    main()
