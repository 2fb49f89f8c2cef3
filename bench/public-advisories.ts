import type { EditionInput } from '../src/domain/advisories/edition.ts';
import { INDICATORS, type Indicator } from '../src/domain/advisories/levels.ts';
import { loadGeography } from '../src/domain/geo/index.ts';
import { buildApp } from '../src/server/app.ts';
import { createDraft, publishEdition } from '../src/services/advisories/editions.ts';
import { systemActor } from '../src/services/audit/audit.ts';
import { compareWithHelloWorld } from './http.ts';
import { type BenchBackend, benchContext } from './stores.ts';

const CODES = Object.keys(INDICATORS) as Indicator[];

/** A deterministic, plausible advisory for the i-th country: some with a regional zone. */
function advisoryFor(i: number, country: string, name: string): EditionInput {
  const level = ((i * 7) % 4) + 1;
  const indicators = CODES.filter((_, k) => (i + k) % 3 === 0).slice(0, level);
  const regions = loadGeography().regions(country);
  const zoned = i % 4 === 0 && regions.length > 1;
  return {
    level,
    indicators,
    summary: `Level ${level} for ${name}: ${level >= 3 ? 'reconsider or avoid travel' : 'take the usual precautions'} because of ${indicators.length ? indicators.map((c) => INDICATORS[c].toLowerCase()).join(', ') : 'no specific risk'}.`,
    body: `## Safety and security\n\nRead the whole advisory for ${name} before you travel.\n`,
    zones: zoned
      ? [
          {
            name: `${regions[0]!.name} area`,
            level: Math.min(4, level + 1),
            indicators: ['T'],
            regions: [regions[0]!.code],
          },
        ]
      : [],
    changeNote: 'Benchmark edition.',
  };
}

/**
 * The public advisory routes clients use, under load on ~200 countries' current advisories on a
 * fresh store (the app listening on 127.0.0.1, autocannon in a worker thread, 10 connections,
 * browser-like Accept-Encoding): the list, one country, the Atom feed and the GeoJSON layer, each
 * in rounds alternating with a Fastify hello-world in the same process (bench/http.ts).
 */
export async function publicAdvisoriesBench(backend: BenchBackend): Promise<void> {
  const ctx = await benchContext(backend);
  try {
    const countries = loadGeography()
      .countries()
      .filter((c) => /^[A-Z]{2}$/.test(c.code))
      .slice(0, 200);
    for (const [i, c] of countries.entries()) {
      const d = await createDraft(ctx, systemActor, c.code, advisoryFor(i, c.code, c.name));
      await publishEdition(ctx, systemActor, d.id);
    }
    const app = await buildApp(ctx);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const headers = { 'accept-encoding': 'gzip, deflate, br' };
      const one = countries.find((c) => c.code === 'IQ')?.code ?? countries[0]!.code;
      const routes: Array<[string, string]> = [
        ['list', '/api/public/advisories'],
        [`per country (${one})`, `/api/public/advisories/${one}`],
        ['Atom', '/feeds/advisories.atom'],
        ['GeoJSON', '/geo/advisories.geojson'],
      ];
      const sizes: string[] = [];
      for (const [label, path] of routes) {
        const r = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity' } });
        if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
        sizes.push(`${label} ${((await r.arrayBuffer()).byteLength / 1024).toFixed(0)} KiB`);
      }
      const tag = `public-advisories/${backend}`;
      console.log(`${tag}: ${countries.length} countries; bodies ${sizes.join(', ')} (before compression)`);
      await compareWithHelloWorld(
        tag,
        routes.map(([label, path]) => ({ label, base, paths: [path], headers })),
      );
    } finally {
      await app.close();
    }
  } finally {
    await ctx.dispose();
  }
}
