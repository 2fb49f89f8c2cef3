/**
 * Writes the OpenAPI document the server serves at /api/docs/json, built from a throwaway app on
 * an empty database: `node --import tsx scripts/openapi.ts [FILE]` (stdout without FILE).
 * `npm run check` lints it with Redocly's recommended rules.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/context.ts';
import { buildApp } from '../src/server/app.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'warden-openapi-'));
try {
  const config = loadConfig({
    WARDEN_DATABASE_URL: `sqlite:${path.join(dir, 'openapi.db')}`,
    WARDEN_DATA_DIR: dir,
    WARDEN_SECRET_KEY: 'openapi-document-only-0123456789abcdef',
    WARDEN_PUBLIC_URL: 'https://warden.example.org',
    WARDEN_SCHEDULER: 'off',
    WARDEN_LOG_LEVEL: 'silent',
  });
  const ctx = await createContext(config, { log: pino({ level: 'silent' }) });
  const app = await buildApp(ctx);
  await app.ready();
  const doc = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  const out = process.argv[2];
  if (out) writeFileSync(out, doc);
  else process.stdout.write(doc);
  await app.close();
  await ctx.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
