import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { PostureChange } from '../../src/domain/posts/types.ts';
import { type PostureFeedEntry, postureAtom } from '../../src/feeds/atom/posts.ts';

const GOLDEN = path.join(import.meta.dirname, 'posts-atom.golden.xml');

const change = (over: Partial<PostureChange>): PostureChange => ({
  id: 'c1',
  postId: 'basrah',
  previousState: 'normal',
  state: 'ordered_departure',
  departure: { staff: 'ordered', family: 'ordered' },
  services: { citizenServices: false, visas: false, walkIn: false },
  effectiveAt: '2018-09-28T12:00:00.000Z',
  reason: 'internal reason, never published',
  reviewBy: '2018-10-28',
  statement: {
    text: 'The Department of State has placed the U.S. Consulate General in Basrah on ordered departure. Citizen services will be provided by the U.S. Embassy in Baghdad.',
    by: 'Secretary of State',
  },
  coverageDelegateId: 'baghdad',
  requestId: 'r1',
  createdAt: '2018-09-28T12:00:00.000Z',
  createdBy: 'user:requester',
  approvedBy: 'user:approver',
  ...over,
});

const basrah = { id: 'basrah', name: 'Consulate General Basrah', city: 'Basrah', country: 'IQ' };
const entries: PostureFeedEntry[] = [
  { change: change({}), post: basrah, countryName: 'Iraq', delegateName: 'Embassy Baghdad' },
  {
    change: change({
      id: 'c0',
      state: 'authorized_departure',
      departure: { staff: 'authorized', family: 'authorized' },
      services: { citizenServices: true, visas: false, walkIn: true },
      effectiveAt: '2018-09-10T08:00:00.000Z',
      reviewBy: '2018-10-10',
      statement: { text: 'Staff <may> leave & "family" too\u0007.', by: 'Embassy Baghdad' },
      coverageDelegateId: null,
    }),
    post: basrah,
    countryName: 'Iraq',
    delegateName: null,
  },
];
const options = {
  selfUrl: 'https://warden.example.org/feeds/posts.atom',
  baseUrl: 'https://warden.example.org/',
  updated: '2018-09-28T12:00:00.000Z',
};

describe('posture Atom feed', () => {
  it('matches the golden file', () => {
    const xml = postureAtom(entries, options);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, xml);
    expect(xml).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('is well-formed Atom with the required elements, and escapes text', () => {
    const xml = postureAtom(entries, options);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['entry', 'link', 'category'].includes(n),
    }).parse(xml);
    const feed = doc.feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBeTruthy();
    expect(feed.updated).toBe(options.updated);
    expect(feed.link.find((l: Record<string, string>) => l['@rel'] === 'self')['@href']).toBe(
      options.selfUrl,
    );
    expect(feed.entry.map((e: { id: string }) => e.id)).toEqual([
      'urn:warden:posture-change:c1',
      'urn:warden:posture-change:c0',
    ]);
    expect(feed.entry[1].content['#text']).toBe('Staff <may> leave & "family" too.');
    expect(xml).not.toContain('internal reason');
    expect(xml).not.toContain('user:');
  });

  it('an empty feed is still a valid feed', () => {
    const doc = new XMLParser().parse(postureAtom([], options));
    expect(doc.feed.title).toBe('Warden: post posture changes');
    expect(doc.feed.entry).toBeUndefined();
  });
});
