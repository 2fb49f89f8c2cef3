import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    backends: Array<'sqlite' | 'postgres'>;
    pgUrl: string;
  }
}

const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

async function pgReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Decides once which stores the suite runs on. PostgreSQL is skipped only when it is unreachable
 * and not required — and then loudly, at the start and the end of the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const pgUrl = process.env.WARDEN_TEST_PG_URL || DEFAULT_PG;
  const wanted = (process.env.WARDEN_TEST_BACKENDS || 'sqlite,postgres').split(',').map((s) => s.trim());
  const backends: Array<'sqlite' | 'postgres'> = [];
  if (wanted.includes('sqlite')) backends.push('sqlite');
  let skipped: string | null = null;
  if (wanted.includes('postgres')) {
    const problem = await pgReachable(pgUrl);
    if (!problem) backends.push('postgres');
    else if (process.env.WARDEN_TEST_REQUIRE_PG === '1') {
      throw new Error(
        `PostgreSQL is required (WARDEN_TEST_REQUIRE_PG=1) but unreachable at ${pgUrl}: ${problem}`,
      );
    } else skipped = problem;
  }
  const banner = skipped
    ? `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!  PostgreSQL leg SKIPPED: ${pgUrl} unreachable (${skipped}).\n!!  Only SQLite was tested. Set WARDEN_TEST_REQUIRE_PG=1 to make this a failure.\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`
    : '';
  if (banner) process.stderr.write(banner);
  else process.stdout.write(`Store backends under test: ${backends.join(', ')}\n`);
  project.provide('backends', backends);
  project.provide('pgUrl', pgUrl);
  return () => {
    if (banner) process.stderr.write(banner);
  };
}
