"""Build metrodiplomacy/analysis/data/world_land_110m.json from Natural Earth's 1:110m land (public domain).

The input is `land-110m.json` of the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 as TopoJSON):
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_outline.py package/land-110m.json
Rings are decoded from the quantised, delta-encoded arcs and rounded to 0.1 degree.
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "metrodiplomacy" / "analysis" / "data" / "world_land_110m.json"


def decode(topology: dict) -> list[list[list[float]]]:
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indices):
        points = []
        for index in indices:
            arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            points.extend(arc if not points else arc[1:])
        return points

    rings = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indices in polygon[:1]:  # outer rings only: lakes are not drawn
                rings.append([[round(lon, 1), round(lat, 1)] for lon, lat in ring(indices)])
    return rings


if __name__ == "__main__":
    rings = decode(json.loads(Path(sys.argv[1]).read_text()))
    payload = {
        "source": "Natural Earth 1:110m land, version 4.1.0 (public domain), via world-atlas 2.0.2",
        "rings": rings,
    }
    OUT.write_text(json.dumps(payload, separators=(",", ":")))
    print(f"{len(rings)} rings, {sum(map(len, rings))} points -> {OUT}")
