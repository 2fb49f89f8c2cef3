import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoAdvisories } from '../../src/demo/advisories.ts';
import { systemActor } from '../../src/services/audit/audit.ts';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

describe.each(backends())('demo advisories on %s', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness(backend);
    await loadDemoAdvisories(h.ctx, systemActor);
  });
  afterAll(() => h.dispose());

  it('Iraq is at Level 4 with a history and the Kurdistan Region at Level 3; its neighbours are set', async () => {
    const list = (await h.app.inject({ method: 'GET', url: '/api/public/advisories' })).json()
      .advisories as Array<{
      country: string;
      level: number;
      indicators: string[];
      zones: Array<{ name: string; level: number; regions: string[] }>;
    }>;
    const by = Object.fromEntries(list.map((a) => [a.country, a]));
    expect(Object.keys(by).sort()).toEqual(['IQ', 'IR', 'JO', 'KW', 'SA', 'SY', 'TR']);
    expect(by.IQ).toMatchObject({
      level: 4,
      indicators: ['T', 'U', 'K'],
      summary: 'Do not travel to Iraq due to terrorism, kidnapping, armed conflict, and civil unrest.',
    });
    expect(by.IQ!.zones).toEqual([
      expect.objectContaining({ level: 3, regions: ['IQ-AR', 'IQ-DA', 'IQ-SU'] }),
    ]);
    expect(by.TR!.zones).toEqual([expect.objectContaining({ level: 4, regions: ['TR-73', 'TR-30'] })]);
    expect([by.KW!.level, by.JO!.level, by.SA!.level, by.TR!.level, by.IR!.level, by.SY!.level]).toEqual([
      1, 2, 2, 2, 4, 4,
    ]);
    expect(by.SY!.indicators).toEqual(['T', 'U', 'K', 'D', 'O']);

    const iraq = (await h.app.inject({ method: 'GET', url: '/api/public/advisories/IQ' })).json();
    expect(
      iraq.history.map((e: { edition: number; status: string; level: number }) => [
        e.edition,
        e.status,
        e.level,
      ]),
    ).toEqual([
      [2, 'published', 4],
      [1, 'archived', 4],
    ]);
    expect(iraq.advisory.bodyHtml).toContain(
      '<strong>terrorism, kidnapping, armed conflict, and civil unrest</strong>',
    );
  });
});
