import { performance } from 'node:perf_hooks';
import { recordAudit, systemActor, verifyAuditLog } from '../src/services/audit/audit.ts';
import { type BenchBackend, benchContext } from './stores.ts';

/** Audit appends (each its own transaction, as a state change would make) and a full verify. */
export async function auditBench(backend: BenchBackend, n = 5000): Promise<void> {
  const ctx = await benchContext(backend);
  try {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await recordAudit(ctx, ctx.store.db, systemActor, 'bench.event', `thing:${i}`, {
        i,
        note: 'benchmark entry',
      });
    }
    const appendMs = performance.now() - t0;
    const t1 = performance.now();
    const r = await verifyAuditLog(ctx);
    const verifyMs = performance.now() - t1;
    if (!r.ok || r.checked !== n) throw new Error('audit chain did not verify');
    console.log(
      `audit/${backend}: ${n} appends in ${appendMs.toFixed(0)} ms (${((n / appendMs) * 1000).toFixed(0)}/s); ` +
        `verify ${n} in ${verifyMs.toFixed(0)} ms (${((n / verifyMs) * 1000).toFixed(0)}/s)`,
    );
  } finally {
    await ctx.dispose();
  }
}
