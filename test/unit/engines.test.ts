import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * The README promises a Node.js version; `npm ci` warns (EBADENGINE) for every locked package whose
 * `engines.node` that version does not satisfy. Overrides in package.json pin such packages to
 * releases that still support it (issue 11, item 12).
 */
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const promised = (): string => {
  const m = /Requires Node\.js (\d+\.\d+)\+/.exec(read('README.md'));
  if (!m) throw new Error('README.md no longer says "Requires Node.js X.Y+"');
  return `${m[1]}.0`;
};

describe('Node.js engine promise', () => {
  it('package.json engines say what the README says', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(promised());
  });

  it('every locked package supports the promised Node.js version', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    const node = promised();
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => {
        const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
        return path !== '' && range !== undefined && !semver.satisfies(node, range);
      })
      .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version}`);
    expect(refusing).toEqual([]);
  });
});
