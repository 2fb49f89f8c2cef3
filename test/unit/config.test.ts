import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveSecretKey } from '../../src/config.ts';

describe('config', () => {
  it('defaults to an SQLite file under ./data', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'sqlite', file: path.resolve('data/warden.db') });
    expect(c.port).toBe(8080);
    expect(c.publicUrl).toBe('http://localhost:8080');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    const c = loadConfig({ WARDEN_DATABASE_URL: 'postgres://u@db:5432/warden' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/warden' });
  });

  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({
        WARDEN_PORT: 'eighty',
        WARDEN_PUBLIC_URL: 'ftp://x',
        WARDEN_SECRET_KEY: 'short',
        WARDEN_DATABASE_URL: 'mysql://x',
        WARDEN_LOG_LEVEL: 'loud',
        WARDEN_BODY_LIMIT: '-1',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of [
      'WARDEN_PORT',
      'WARDEN_PUBLIC_URL',
      'WARDEN_SECRET_KEY',
      'WARDEN_DATABASE_URL',
      'WARDEN_LOG_LEVEL',
      'WARDEN_BODY_LIMIT',
    ]) {
      expect(problems).toContain(name);
    }
    expect((err as ConfigError).problems).toHaveLength(6);
  });

  it('generates the secret key once, keeps it private, and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-cfg-'));
    const first = resolveSecretKey(loadConfig({ WARDEN_DATA_DIR: dir }));
    const file = path.join(dir, 'secret.key');
    expect(first.secretKey.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secretKey);
    expect(resolveSecretKey(loadConfig({ WARDEN_DATA_DIR: dir })).secretKey).toBe(first.secretKey);
  });

  it('uses a given secret key without touching disk', () => {
    const key = 'k'.repeat(40);
    expect(
      resolveSecretKey(loadConfig({ WARDEN_SECRET_KEY: key, WARDEN_DATA_DIR: '/nonexistent/x' })).secretKey,
    ).toBe(key);
  });
});
