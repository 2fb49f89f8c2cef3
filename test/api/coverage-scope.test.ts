import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type Caller, createApiHarness, errorCode } from '../support/api.ts';
import { backends } from '../support/context.ts';

type Json = Record<string, unknown>;

/** Issue 11: a scoped officer could set its post's coverage delegate to a post outside its scope. */
describe.each(backends())('coverage delegates stay in the officer’s scope on %s', (backend) => {
  let h: ApiHarness;
  let admin: Caller;
  let officer: Caller;
  const ids = { basrah: '', baghdad: '', kuwait: '' };

  beforeAll(async () => {
    h = await createApiHarness(backend);
    admin = await h.signIn('admin');
    const make = async (name: string, country: string, lat: number, lon: number, region: string) =>
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/posts',
          headers: admin.headers,
          payload: {
            kind: 'embassy',
            name,
            city: name,
            country,
            location: { lat, lon },
            district: { regions: [region] },
          },
        })
      ).json().post.id as string;
    ids.basrah = await make('Basrah', 'IQ', 30.51, 47.81, 'IQ-BA');
    ids.baghdad = await make('Baghdad', 'IQ', 33.3, 44.39, 'IQ-BG');
    ids.kuwait = await make('Kuwait', 'KW', 29.37, 47.98, 'KW-KU');
    officer = await h.signIn('officer', [`post:${ids.basrah}`]);
  });
  afterAll(() => h.dispose());

  const put = (who: Caller, coverageDelegateId: string | null) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/posts/${ids.basrah}/coverage`,
      headers: who.headers,
      payload: { coverageDelegateId },
    });
  const delegateOf = async () =>
    (await h.app.inject({ method: 'GET', url: `/api/posts/${ids.basrah}`, headers: admin.headers })).json()
      .post.coverageDelegateId;

  it('refuses a delegate outside the officer’s scope, directly and through a posture change', async () => {
    for (const target of [ids.baghdad, ids.kuwait]) {
      const res = await put(officer, target);
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toMatchObject({ code: 'forbidden', details: { field: 'coverageDelegateId' } });
    }
    expect(await delegateOf()).toBeNull();
    const posture = (body: Json) =>
      h.app.inject({
        method: 'POST',
        url: `/api/posts/${ids.basrah}/posture`,
        headers: officer.headers,
        payload: body,
      });
    const authorized = await posture({
      state: 'authorized_departure',
      departure: { staff: 'authorized', family: 'none' },
      services: { citizenServices: true, visas: true, walkIn: true },
      reason: 'Protests.',
      reviewBy: '2099-01-01',
      coverageDelegateId: ids.kuwait,
    });
    expect(errorCode(authorized)).toBe('forbidden');
    const ordered = await posture({
      state: 'ordered_departure',
      departure: { staff: 'ordered', family: 'ordered' },
      services: { citizenServices: false, visas: false, walkIn: false },
      reason: 'Indirect fire.',
      reviewBy: '2099-01-01',
      coverageDelegateId: ids.baghdad,
    });
    expect(errorCode(ordered)).toBe('forbidden');
    expect(await delegateOf()).toBeNull();
  });

  it('a crisis manager (or an officer of the whole country) may delegate', async () => {
    const country = await h.signIn('officer', ['country:IQ']);
    expect((await put(country, ids.baghdad)).statusCode).toBe(200);
    expect(errorCode(await put(country, ids.kuwait))).toBe('forbidden');
    const crisis = await h.signIn('crisis_manager');
    expect((await put(crisis, ids.kuwait)).statusCode).toBe(200);
    expect(await delegateOf()).toBe(ids.kuwait);
  });
});
