import { hash, Stream } from '../random.js';
import { placeName, type CountryProfile } from './catalog.js';

/** A generated administrative area (spec §5.4). */
export interface BoundaryRow {
  osmId: string;
  name: string;
  level: 0 | 1 | 2;
  parent: { osm_id: string; name: string } | null;
  aliases: string[];
  /** [minLon, minLat, maxLon, maxLat]; rendered as a closed one-ring MultiPolygon. */
  bbox: [number, number, number, number];
  /** Index of the state this row is or belongs to (-1 for the country). */
  stateIndex: number;
}

/** The boundary tree of one workspace. */
export interface Geography {
  country: BoundaryRow;
  states: BoundaryRow[];
  /** Districts per state index. */
  districts: BoundaryRow[][];
  all: BoundaryRow[];
}

function osmId(seed: number, n: number): string {
  return `R${1_000_000 + (hash(seed, Stream.boundary, n, 1) % 8_999_999)}`;
}

function uniqueName(seed: number, n: number, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const name = placeName(hash(seed, Stream.boundary, n, 10 + attempt));
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

function aliasesFor(seed: number, n: number, name: string): string[] {
  const count = hash(seed, Stream.boundary, n, 3) % 3;
  return Array.from({ length: count }, (_, i) => (i === 0 ? name.toUpperCase() : `${name} ${['Town', 'Region'][i % 2]}`));
}

/**
 * Generates a country → 3-6 states → 2-5 districts tree with tiled, non-overlapping boxes.
 * @param seed workspace seed.
 * @param country the workspace's country profile.
 * @returns the boundary tree.
 */
export function generateGeography(seed: number, country: CountryProfile): Geography {
  const taken = new Set<string>([country.name.toLowerCase()]);
  const root: BoundaryRow = {
    osmId: osmId(seed, 0),
    name: country.name,
    level: 0,
    parent: null,
    aliases: [],
    bbox: country.bbox,
    stateIndex: -1,
  };
  const stateCount = 3 + (hash(seed, Stream.boundary, 0, 4) % 4);
  const [minLon, minLat, maxLon, maxLat] = country.bbox;
  const states: BoundaryRow[] = [];
  const districts: BoundaryRow[][] = [];
  let n = 1;
  for (let s = 0; s < stateCount; s++) {
    const width = (maxLon - minLon) / stateCount;
    const name = uniqueName(seed, n, taken);
    const state: BoundaryRow = {
      osmId: osmId(seed, n),
      name,
      level: 1,
      parent: { osm_id: root.osmId, name: root.name },
      aliases: aliasesFor(seed, n, name),
      bbox: [minLon + s * width, minLat, minLon + (s + 1) * width, maxLat],
      stateIndex: s,
    };
    n++;
    states.push(state);
    const districtCount = 2 + (hash(seed, Stream.boundary, n, 5) % 4);
    const row: BoundaryRow[] = [];
    for (let d = 0; d < districtCount; d++) {
      const height = (maxLat - minLat) / districtCount;
      const districtName = uniqueName(seed, n, taken);
      row.push({
        osmId: osmId(seed, n),
        name: districtName,
        level: 2,
        parent: { osm_id: state.osmId, name: state.name },
        aliases: aliasesFor(seed, n, districtName),
        bbox: [state.bbox[0], minLat + d * height, state.bbox[2], minLat + (d + 1) * height],
        stateIndex: s,
      });
      n++;
    }
    districts.push(row);
  }
  return { country: root, states, districts, all: [root, ...states, ...districts.flat()] };
}

/**
 * Renders a box as a closed MultiPolygon ring in [lon, lat] order.
 * @returns GeoJSON geometry.
 */
export function boxGeometry(bbox: [number, number, number, number]): { type: 'MultiPolygon'; coordinates: number[][][][] } {
  const [a, b, c, d] = bbox.map((v) => Math.round(v * 1e5) / 1e5) as [number, number, number, number];
  return { type: 'MultiPolygon', coordinates: [[[[a, b], [c, b], [c, d], [a, d], [a, b]]]] };
}
