import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase } from '../support/context.ts';

const run = promisify(execFile);
const WARDEN = path.resolve('bin/warden.js');

/** Starts `warden <args>` and resolves once stdout matches `ready`, with everything printed so far. */
function start(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [WARDEN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${ready}; output:\n${out}`)),
      60_000,
    );
    const onData = (b: Buffer) => {
      out += b.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ready:\n${out}`));
    });
  });
}

const stop = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

describe('warden CLI configuration errors', () => {
  it('lists every problem and exits 2', async () => {
    const err = await run(process.execPath, [WARDEN, 'migrate'], {
      env: {
        ...process.env,
        WARDEN_PORT: 'x',
        WARDEN_DATABASE_URL: 'mysql://nope',
        WARDEN_SECRET_KEY: 'short',
      },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toContain('WARDEN_PORT');
    expect(stderr).toContain('WARDEN_DATABASE_URL');
    expect(stderr).toContain('WARDEN_SECRET_KEY');
  });
});

describe.each(backends())('warden serve, user create and migrate on %s', (backend) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    const url = db.database.kind === 'postgres' ? db.database.url : `sqlite:${db.database.file}`;
    env = {
      WARDEN_DATABASE_URL: url,
      WARDEN_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'warden-cli-')),
      WARDEN_PORT: '0',
      WARDEN_LOG_LEVEL: 'warn',
    };
  });
  afterAll(() => db.drop());

  it('migrates, then reports it is up to date', async () => {
    const first = await run(process.execPath, [WARDEN, 'migrate'], { env: { ...process.env, ...env } });
    expect(first.stdout).toContain('applied: 0001_foundation');
    const again = await run(process.execPath, [WARDEN, 'migrate'], { env: { ...process.env, ...env } });
    expect(again.stdout).toContain('up to date');
  });

  it('creates the first admin on first start, serves, and shuts down cleanly', async () => {
    const { child, output } = await start(['serve'], env, /listening on (http:\/\/\S+)/);
    const text = output();
    const password = /password: (\S+)/.exec(text)?.[1];
    const url = /listening on (http:\/\/\S+)/.exec(text)![1]!;
    expect(password).toBeTruthy();
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', store: { backend, reachable: true } });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@warden.local', password }),
    });
    expect(login.status).toBe(200);
    expect(await stop(child)).toBe(0);

    // Second start: no new admin, nothing printed.
    const second = await start(['serve'], env, /listening on/);
    expect(second.output()).not.toContain('password:');
    expect(await stop(second.child)).toBe(0);
    // Two cold starts of the CLI (tsx compiles on the fly): about 20 s on a loaded 2-core machine.
  }, 90_000);

  it('creates users with `warden user create`, refusing bad input', async () => {
    const ok = await run(
      process.execPath,
      [WARDEN, 'user', 'create', '--email', 'o@example.org', '--role', 'officer', '--scope', 'country:IQ'],
      {
        env: { ...process.env, ...env },
      },
    );
    expect(ok.stdout).toMatch(/Created officer o@example.org \(scope: country:IQ\)/);
    expect(ok.stdout).toMatch(/Password \(shown once\): \S{24}/);
    const bad = await run(
      process.execPath,
      [WARDEN, 'user', 'create', '--email', 'p@example.org', '--role', 'officer'],
      {
        env: { ...process.env, ...env },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toContain('officer needs at least one post or country');
  });
});

describe('warden demo', () => {
  it('starts on a fresh SQLite demo database and prints the demo accounts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'warden-demo-'));
    const { child, output } = await start(
      ['demo'],
      { WARDEN_DATA_DIR: dir, WARDEN_PORT: '0', WARDEN_LOG_LEVEL: 'warn' },
      /listening on/,
    );
    const text = output();
    expect(text).toContain(path.join(dir, 'demo.db'));
    const m = /admin\s+(admin@warden\.local)\s+(\S+)/.exec(text);
    expect(m).toBeTruthy();
    const url = /listening on (http:\/\/\S+)/.exec(text)![1]!;
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: m![1], password: m![2] }),
    });
    expect(login.status).toBe(200);
    // A printed password is one-time: the demo admin must choose their own first.
    const body = (await login.json()) as { user: { mustChangePassword: boolean } };
    expect(body.user.mustChangePassword).toBe(true);
    expect(await stop(child)).toBe(0);
    // The accounts can be printed again after they scrolled away.
    const again = await run(process.execPath, [WARDEN, 'demo', '--accounts'], {
      env: { ...process.env, WARDEN_DATA_DIR: dir },
    });
    expect(again.stdout).toContain(`admin@warden.local`);
    expect(again.stdout).toContain(m![2]);
  }, 90_000);

  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [WARDEN, '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
