import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createApiHarness } from '../support/api.ts';
import { backends } from '../support/context.ts';

interface Operation {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
}
interface Doc {
  info: { license?: { name: string } };
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

describe.each(backends())('the OpenAPI document (%s)', (backend) => {
  let h: ApiHarness;
  let doc: Doc;
  beforeAll(async () => {
    h = await createApiHarness(backend, { WARDEN_PUBLIC_URL: 'https://warden.example.org' });
    doc = (await h.app.inject({ url: '/api/docs/json' })).json() as Doc;
  });
  afterAll(() => h.dispose());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );

  it('names every operation once, says where the server is and under which licence', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.servers?.[0]?.url).toBe('https://warden.example.org');
    expect(doc.info.license?.name).toBe('Apache-2.0');
  });

  it("derives each operation's security from the route's own access rule", () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'organisationToken',
      'session',
      'staffToken',
    ]);
    const table = new Map(
      h.app.routeTable.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r]),
    );
    let checked = 0;
    for (const { key, op } of operations()) {
      const route = table.get(key);
      if (!route) continue;
      checked++;
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      const kind = route.access?.kind;
      if (kind === 'public') expect(schemes, key).toEqual([]);
      else if (kind === 'organisation') expect(schemes, key).toEqual(['organisationToken']);
      else expect(schemes, key).toEqual(['session', 'staffToken']);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('documents an error answer on every operation', () => {
    for (const { key, op } of operations()) {
      expect(
        Object.keys(op.responses).some((s) => s.startsWith('4')),
        key,
      ).toBe(true);
    }
  });
});
