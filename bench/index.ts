import { auditBench } from './audit.ts';
import { channelsBench } from './channels.ts';
import { checkinsBench } from './checkins.ts';
import { coverageBench } from './coverage.ts';
import { deliveriesBench } from './deliveries.ts';
import { enrollmentsImportBench } from './enrollments-import.ts';
import { geometryValidateBench } from './geometry-validate.ts';
import { incidentsBench } from './incidents.ts';
import { machineLine } from './machine.ts';
import { publicAdvisoriesBench } from './public-advisories.ts';
import { siteBench } from './site.ts';
import { type BenchBackend, pgAvailable } from './stores.ts';
import { targetingBench } from './targeting.ts';

/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (all by default) on SQLite and, when
 * reachable, PostgreSQL. Figures go to stdout with the machine they were measured on.
 */
const BENCHES: Record<string, (backend: BenchBackend) => Promise<void>> = {
  audit: (b) => auditBench(b),
  // Store-free: measured once, with the SQLite pass.
  channels: (b) => (b === 'sqlite' ? channelsBench() : Promise.resolve()),
  checkins: (b) => checkinsBench(b),
  coverage: (b) => coverageBench(b),
  deliveries: (b) => deliveriesBench(b),
  'enrollments-import': (b) => enrollmentsImportBench(b),
  incidents: (b) => incidentsBench(b),
  'public-advisories': (b) => publicAdvisoriesBench(b),
  site: (b) => siteBench(b),
};

/** Benchmarks of pure code: run once, whatever the backends. */
const PURE: Record<string, () => Promise<void>> = {
  'geometry-validate': () => geometryValidateBench(),
  // One in-memory world, compared with a brute-force scan and with SQL on PostgreSQL itself.
  targeting: () => targetingBench(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const known = [...Object.keys(BENCHES), ...Object.keys(PURE)];
const names = wanted.length ? wanted : known;
const unknown = names.filter((n) => !known.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
  process.exit(2);
}

console.log(machineLine());
// WARDEN_BENCH_BACKENDS=sqlite (or postgres) measures one store only.
const only = process.env.WARDEN_BENCH_BACKENDS?.split(',').map((s) => s.trim());
const backends: BenchBackend[] = [];
if (!only || only.includes('sqlite')) backends.push('sqlite');
if (only && !only.includes('postgres')) {
  // not asked for
} else if (await pgAvailable()) backends.push('postgres');
else console.log('PostgreSQL not reachable: PostgreSQL figures skipped');
for (const name of names) {
  const pure = PURE[name];
  if (pure) await pure();
  else for (const b of backends) await BENCHES[name]!(b);
}
