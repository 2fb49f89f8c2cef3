import { loadGeography } from './src/domain/geo/index.ts';
const gc = (globalThis as { gc?: () => void }).gc as () => void;
const mem = () => { gc(); const m = process.memoryUsage(); return { heap: m.heapUsed, ext: m.external + m.arrayBuffers, rss: m.rss }; };
const fmt = (a: ReturnType<typeof mem>, b: ReturnType<typeof mem>) => `heap +${((b.heap - a.heap) / 1e6).toFixed(1)} MB, typed arrays/external +${((b.ext - a.ext) / 1e6).toFixed(1)} MB, rss +${((b.rss - a.rss) / 1e6).toFixed(0)} MB`;
const m0 = mem(); let t = performance.now();
const geo = loadGeography();
console.log(`loadGeography: ${(performance.now() - t).toFixed(0)} ms; ${fmt(m0, mem())}`);
const pts: Array<[number, number]> = []; for (let i = 0; i < 200000; i++) pts.push([Math.random() * 140 - 60, Math.random() * 360 - 180]);
for (let r = 0; r < 2; r++) { t = performance.now(); for (const [a, b] of pts) geo.regionAt(a, b, { toleranceKm: 0 }); console.log(`random regionAt strict: ${((performance.now() - t) * 1000 / pts.length).toFixed(2)} us`); }
t = performance.now(); for (const [a, b] of pts) geo.regionAt(a, b); console.log(`random regionAt default (5 km coastal tolerance): ${((performance.now() - t) * 1000 / pts.length).toFixed(2)} us`);
const land: Array<[number, number]> = pts.filter(([a, b]) => geo.regionAt(a, b, { toleranceKm: 0 }));
t = performance.now(); for (const [a, b] of land) geo.regionAt(a, b); console.log(`on-land regionAt: ${((performance.now() - t) * 1000 / land.length).toFixed(2)} us (${land.length} pts)`);
t = performance.now(); geo.countriesGeoJSON(); console.log(`countriesGeoJSON ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now(); geo.regionsGeoJSON(); console.log(`regionsGeoJSON ${(performance.now() - t).toFixed(0)} ms`);
const m2 = mem(); t = performance.now();
geo.searchPlaces('basra', { country: 'IQ' });
console.log(`gazetteer (first searchPlaces): ${(performance.now() - t).toFixed(0)} ms; ${fmt(m2, mem())}`);
for (const q of ['basra', 'sao paulo', 's', 'san', 'new york']) { t = performance.now(); for (let i = 0; i < 20; i++) geo.searchPlaces(q); console.log(`search '${q}': ${((performance.now() - t) / 20).toFixed(2)} ms`); }
