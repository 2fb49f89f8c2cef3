/**
 * The on-disk format of assets/geo/geography.bin.gz, written by
 * scripts/build-geo-data.ts. A TopoJSON-like layout (shared border arcs,
 * geometries as arc references) but with the arcs in binary: JSON-parsing a
 * million coordinate pairs costs ~0.5 s and ~100 MB of garbage, this costs ~10 ms.
 *
 * gzip( 'WGEO' | u32 version | u32 headerBytes | header JSON | pad to 4
 *       | u32 arcLength[arcCount] | i32 coords )
 * Coordinates are integers in units of 1e-5 degree: each arc's first point is
 * absolute, the rest are deltas. All integers are little-endian.
 */
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

export const GEO_DATA_FILE = fileURLToPath(new URL('../../../assets/geo/geography.bin.gz', import.meta.url));

const MAGIC = 'WGEO';
const VERSION = 1;
/** Coordinates are stored on a 1e-5 degree (~1 m) grid. */
export const COORD_SCALE = 1e5;

/** Polygons, each a list of rings, each a list of arc indexes (~i = arc i reversed). */
export type ArcPolygons = number[][][];

export interface RegionRecord {
  code: string;
  country: string;
  name: string;
  type: string | null;
  polygons: ArcPolygons;
}

export interface CountryRecord {
  code: string;
  alpha3: string;
  numeric: string;
  name: string;
  polygons: ArcPolygons;
}

export interface GeoDataHeader {
  metadata: Record<string, string | number>;
  arcCount: number;
  regions: RegionRecord[];
  countries: CountryRecord[];
}

export interface GeoData {
  header: GeoDataHeader;
  /** Absolute lon/lat pairs of every arc, back to back. */
  coords: Float64Array;
  /** Point offset of arc i in coords (in points, not numbers); arcStart[arcCount] = total. */
  arcStart: Uint32Array;
}

/** `arcs` hold absolute integer coordinates (degrees x COORD_SCALE). */
export function encodeGeoData(header: GeoDataHeader, arcs: Array<Array<[number, number]>>): Buffer {
  const json = Buffer.from(JSON.stringify({ ...header, arcCount: arcs.length }), 'utf8');
  const headerLen = 12 + json.length;
  const padded = Math.ceil(headerLen / 4) * 4;
  const points = arcs.reduce((n, a) => n + a.length, 0);
  const buf = Buffer.alloc(padded + 4 * arcs.length + 8 * points);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(VERSION, 4);
  buf.writeUInt32LE(json.length, 8);
  json.copy(buf, 12);
  let o = padded;
  for (const arc of arcs) o = buf.writeUInt32LE(arc.length, o);
  for (const arc of arcs) {
    let px = 0;
    let py = 0;
    for (const [x, y] of arc) {
      o = buf.writeInt32LE(x - px, o);
      o = buf.writeInt32LE(y - py, o);
      px = x;
      py = y;
    }
  }
  return gzipSync(buf, { level: 9 });
}

export function decodeGeoData(gz: Buffer): GeoData {
  const buf = gunzipSync(gz);
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a Warden geography file');
  const version = buf.readUInt32LE(4);
  if (version !== VERSION) throw new Error(`unsupported geography file version ${version}`);
  const jsonLen = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + jsonLen)) as GeoDataHeader;
  const padded = Math.ceil((12 + jsonLen) / 4) * 4;
  // Typed-array views need 4-byte alignment, which a pooled Buffer may lack.
  const aligned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  const lengths = new Uint32Array(aligned.buffer, aligned.byteOffset + padded, header.arcCount);
  const arcStart = new Uint32Array(header.arcCount + 1);
  for (let i = 0; i < header.arcCount; i++)
    arcStart[i + 1] = (arcStart[i] as number) + (lengths[i] as number);
  const total = arcStart[header.arcCount] as number;
  const deltas = new Int32Array(aligned.buffer, aligned.byteOffset + padded + 4 * header.arcCount, 2 * total);
  const coords = new Float64Array(2 * total);
  for (let a = 0; a < header.arcCount; a++) {
    let x = 0;
    let y = 0;
    for (let i = 2 * (arcStart[a] as number), end = 2 * (arcStart[a + 1] as number); i < end; i += 2) {
      x += deltas[i] as number;
      y += deltas[i + 1] as number;
      // Integer / 1e5 yields the double nearest the 5-decimal value, so
      // lookups and exported GeoJSON see exactly the same coordinates.
      coords[i] = x / COORD_SCALE;
      coords[i + 1] = y / COORD_SCALE;
    }
  }
  return { header, coords, arcStart };
}
