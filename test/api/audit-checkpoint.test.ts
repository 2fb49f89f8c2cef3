import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointIfDue, verifySinceCheckpoint } from '../../src/services/audit/checkpoints.ts';
import { type ApiHarness, type Caller, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';
import { capturedLogs } from '../support/log.ts';

describe.each(backends())('audit checkpoints on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  const dir = () => path.join(h.ctx.config.dataDir, 'audit-checkpoints');

  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_AUDIT_CHECKPOINT_MINUTES: '30' });
    admin = await h.signIn('admin');
  });
  afterAll(() => h.dispose());

  it('GET signs the head now; POST writes it to the data directory and the log', async () => {
    const head = (
      await h.app.inject({ method: 'GET', url: '/api/audit/verify', headers: admin.headers })
    ).json().head;
    const got = await h.app.inject({ method: 'GET', url: '/api/audit/checkpoint', headers: admin.headers });
    expect(got.statusCode).toBe(200);
    expect(got.json().checkpoint).toMatchObject({
      format: 'warden-audit-checkpoint/1',
      seq: head.seq,
      hash: head.hash,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const posted = await h.app.inject({
      method: 'POST',
      url: '/api/audit/checkpoint',
      headers: admin.headers,
    });
    expect(posted.statusCode).toBe(201);
    const { checkpoint, file } = posted.json();
    expect(readdirSync(dir())).toEqual([file]);
    expect(JSON.parse(readFileSync(path.join(dir(), file), 'utf8'))).toEqual(checkpoint);
    expect(
      capturedLogs.some((l) => l.includes('"audit checkpoint"') && l.includes(checkpoint.signature)),
    ).toBe(true);
    expect((await verifySinceCheckpoint(h.ctx, path.join(dir(), file))).ok).toBe(true);
    // Not for anyone but admins.
    const viewer = await h.signIn('viewer');
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/audit/checkpoint', headers: viewer.headers }))
        .statusCode,
    ).toBe(403);
  });

  it('the scheduler writes one when the interval has passed and the chain has grown', async () => {
    const count = () => readdirSync(dir()).length;
    const before = count();
    expect(await checkpointIfDue(h.ctx)).toBeNull(); // the viewer's sign-up grew the chain, but too soon
    h.ctx.clock.advance(31 * 60_000);
    expect(await checkpointIfDue(h.ctx)).toMatchObject({ seq: expect.any(Number) });
    expect(count()).toBe(before + 1);
    h.ctx.clock.advance(31 * 60_000);
    expect(await checkpointIfDue(h.ctx)).toBeNull(); // nothing new since
    expect(count()).toBe(before + 1);
  });
});
