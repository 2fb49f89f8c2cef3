import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { type Context, createContext } from '../src/context.ts';

export type BenchBackend = 'sqlite' | 'postgres';

const PG_URL =
  process.env.WARDEN_BENCH_PG_URL ||
  process.env.WARDEN_TEST_PG_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database for one benchmark run; removed by dispose(). */
export async function benchContext(
  backend: BenchBackend,
  env: Record<string, string> = {},
): Promise<Context & { dispose(): Promise<void> }> {
  const base = loadConfig({
    WARDEN_SECRET_KEY: 'bench-secret-key-long-enough-0123456789abc',
    WARDEN_LOG_LEVEL: 'silent',
    ...env,
  });
  let drop: () => Promise<void>;
  let database: ReturnType<typeof loadConfig>['database'];
  if (backend === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-bench-'));
    database = { kind: 'sqlite', file: path.join(dir, 'bench.db') };
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `warden_bench_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    database = { kind: 'postgres', url: url.toString() };
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const ctx = await createContext({ ...base, database }, { log: pino({ level: 'silent' }) });
  return {
    ...ctx,
    async dispose() {
      await ctx.close();
      await drop();
    },
  };
}

export async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}
