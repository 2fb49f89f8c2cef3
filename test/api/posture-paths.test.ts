import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTURE_STATES, type PostureState } from '../../src/domain/posts/types.ts';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

const DRAWN_DOWN = new Set<PostureState>(['ordered_departure', 'suspended']);

const DEPARTURE: Record<PostureState, Json> = {
  normal: { staff: 'none', family: 'none' },
  authorized_departure: { staff: 'authorized', family: 'authorized' },
  ordered_departure: { staff: 'authorized', family: 'ordered' },
  suspended: { staff: 'ordered', family: 'ordered' },
};

const body = (state: PostureState): Json => ({
  state,
  departure: DEPARTURE[state],
  services: { citizenServices: true, visas: state === 'normal', walkIn: state === 'normal' },
  reason: `To ${state}.`,
  ...(state !== 'normal' && { reviewBy: '2099-01-01' }),
});

const legal = (from: PostureState, to: PostureState) =>
  from !== to && !(from === 'suspended' && to === 'authorized_departure');

/**
 * Issue 11: one officer alone took Basrah from ordered departure to authorized (201) and then to
 * normal (201). Every pair of states and every two-step path, walked by one officer: nothing that
 * enters or leaves ordered departure or suspension applies without a second person.
 */
describe.each(backends())('two-person rule on every path, one officer alone, on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let crisis: Caller;
  let officer: Caller;
  let postId = '';

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    crisis = await h.signIn('crisis_manager');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/posts',
      headers: admin.headers,
      payload: {
        kind: 'consulate_general',
        name: 'Consulate General Basrah',
        city: 'Basrah',
        country: 'IQ',
        location: { lat: 30.51, lon: 47.81 },
        district: { regions: ['IQ-BA'] },
      },
    });
    postId = res.json().post.id;
    // The officer of the issue: scoped to this post only.
    officer = await h.signIn('officer', [`post:${postId}`]);
  });
  afterAll(() => h.dispose());

  const call = (method: 'GET' | 'POST', url: string, who: Caller, payload?: Json) =>
    h.app.inject({ method, url, headers: who.headers, ...(payload && { payload }) });
  const stateNow = async (): Promise<PostureState> =>
    (await call('GET', `/api/posts/${postId}`, admin)).json().post.posture.state;
  const change = (to: PostureState, who: Caller) =>
    call('POST', `/api/posts/${postId}/posture`, who, body(to));

  /** Brings the post to `target` with two people (through normal when no direct move exists). */
  async function reach(target: PostureState): Promise<void> {
    const from = await stateNow();
    if (from === target) return;
    if (!legal(from, target)) await reach('normal');
    const res = await change(target, crisis);
    if (res.statusCode === 202) {
      const q = res.json().request;
      const ok = await call('POST', `/api/posture-requests/${q.id}/approve`, admin, {
        contentHash: q.contentHash,
      });
      expect(ok.statusCode).toBe(200);
    } else expect(res.statusCode).toBe(201);
    expect(await stateNow()).toBe(target);
  }

  /** One officer, alone, tries a change; a request it opens is withdrawn (nobody approves it). */
  async function alone(to: PostureState): Promise<number> {
    const res = await change(to, officer);
    if (res.statusCode === 202) {
      expect(res.json().request.status).toBe('pending');
      const id = res.json().request.id;
      expect(
        (await call('POST', `/api/posture-requests/${id}/reject`, officer, { reason: 'x' })).statusCode,
      ).toBe(200);
    } else if (res.statusCode === 201) {
      expect(res.json().change.approvedBy).toBeNull();
    } else expect(errorCode(res)).toBe('invalid_transition');
    return res.statusCode;
  }

  it.each(POSTURE_STATES)('every change from %s', async (from) => {
    for (const to of POSTURE_STATES) {
      if (to === from) continue;
      await reach(from);
      const status = await alone(to);
      const expected = !legal(from, to) ? 422 : DRAWN_DOWN.has(from) || DRAWN_DOWN.has(to) ? 202 : 201;
      expect(status, `${from} -> ${to}`).toBe(expected);
      expect(await stateNow()).toBe(status === 201 ? to : from);
    }
  });

  it.each(POSTURE_STATES)('every two-step path from %s stays on its side', async (a) => {
    for (const b of POSTURE_STATES) {
      for (const c of POSTURE_STATES) {
        if (!legal(a, b) || !legal(b, c)) continue;
        await reach(a);
        if ((await alone(b)) === 201) await alone(c);
        const end = await stateNow();
        expect(DRAWN_DOWN.has(end), `${a} -> ${b} -> ${c} ended ${end}`).toBe(DRAWN_DOWN.has(a));
      }
    }
  });
});
