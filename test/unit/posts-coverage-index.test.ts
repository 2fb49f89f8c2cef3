import { describe, expect, it } from 'vitest';
import { loadGeography } from '../../src/domain/geo/index.ts';
import { CoverageIndex, type CoveragePost, findCoverageLoop } from '../../src/domain/posts/coverage-index.ts';

const base = (id: string, over: Partial<CoveragePost>): CoveragePost => ({
  id,
  kind: 'consulate_general',
  name: id,
  city: id,
  country: 'IQ',
  location: { lat: 0, lon: 0 },
  contact: { phone: null, email: null, address: null, hours: null },
  district: { regions: [], geometry: null },
  state: 'normal',
  citizenServices: true,
  coverageDelegateId: null,
  ...over,
});

const geo = loadGeography();

describe('coverage index', () => {
  const baghdad = base('baghdad', {
    kind: 'embassy',
    district: { regions: ['IQ-BG', 'IQ-AN'], geometry: null },
  });
  const basrah = base('basrah', {
    district: { regions: ['IQ-BA'], geometry: null },
    state: 'ordered_departure',
    citizenServices: false,
    coverageDelegateId: 'kuwait',
  });
  // A drawn district around Kuwait City, delegating on to Baghdad.
  const kuwait = base('kuwait', {
    country: 'KW',
    kind: 'embassy',
    district: {
      regions: [],
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [47.7, 29.2],
            [48.2, 29.2],
            [48.2, 29.5],
            [47.7, 29.5],
            [47.7, 29.2],
          ],
        ],
      },
    },
    state: 'suspended',
    citizenServices: false,
    coverageDelegateId: 'baghdad',
  });
  const index = new CoverageIndex([baghdad, basrah, kuwait], geo);

  it('finds the district by region and follows the delegation chain', () => {
    const a = index.lookup(30.51, 47.81);
    expect(a).toMatchObject({ country: 'IQ', region: 'IQ-BA', match: 'region', districtPostId: 'basrah' });
    expect(a.served?.post.id).toBe('baghdad');
    expect(a.served?.serving).toBe(true);
    expect(a.served?.path.map((s) => [s.id, s.delegating])).toEqual([
      ['basrah', true],
      ['kuwait', true],
      ['baghdad', false],
    ]);
  });

  it('finds drawn districts by exact point-in-polygon', () => {
    expect(index.lookup(29.37, 47.98)).toMatchObject({ match: 'polygon', districtPostId: 'kuwait' });
    // In Kuwait but outside the drawn district, and Kuwait has no region districts: its embassy answers.
    expect(index.lookup(28.9, 47.9)).toMatchObject({
      country: 'KW',
      match: 'country',
      districtPostId: 'kuwait',
    });
  });

  it('answers a gap in a country with posts with its embassy, and nothing at sea or where no post is', () => {
    expect(index.lookup(36.19, 44.01)).toMatchObject({
      region: 'IQ-AR',
      match: 'country',
      districtPostId: 'baghdad',
    });
    expect(index.lookup(0, -30)).toEqual({
      country: null,
      region: null,
      match: null,
      districtPostId: null,
      served: null,
    });
    expect(index.lookup(48.85, 2.35)).toMatchObject({ country: 'FR', match: null, served: null });
  });

  it('a chain ending at a post that cannot serve says so', () => {
    const alone = new CoverageIndex(
      [
        base('x', {
          district: { regions: ['IQ-BA'], geometry: null },
          state: 'suspended',
          citizenServices: false,
        }),
      ],
      geo,
    );
    expect(alone.lookup(30.51, 47.81).served).toMatchObject({ serving: false, post: { id: 'x' } });
  });

  it('never loops, even on data that would', () => {
    const a = base('a', {
      district: { regions: ['IQ-BA'], geometry: null },
      state: 'suspended',
      citizenServices: false,
      coverageDelegateId: 'b',
    });
    const b = base('b', { state: 'suspended', citizenServices: false, coverageDelegateId: 'a' });
    const served = new CoverageIndex([a, b], geo).servedFor('a');
    expect(served?.path.map((s) => s.id)).toEqual(['a', 'b']);
    expect(served?.serving).toBe(false);
  });

  it('detects a loop through the post being changed', () => {
    const delegates = new Map<string, string | null>([
      ['a', null],
      ['b', 'c'],
      ['c', 'a'],
      ['d', 'e'],
      ['e', 'd'],
    ]);
    expect(findCoverageLoop('a', 'b', delegates)).toEqual(['a', 'b', 'c', 'a']);
    expect(findCoverageLoop('a', null, delegates)).toBeNull();
    expect(findCoverageLoop('b', 'c', new Map([['c', null]]))).toBeNull();
    // A loop elsewhere is not this post's loop (and does not hang).
    expect(findCoverageLoop('a', 'd', delegates)).toBeNull();
  });
});
