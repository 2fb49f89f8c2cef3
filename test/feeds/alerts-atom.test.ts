import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { type AlertFeedEntry, alertFeedTitle, alertsAtom } from '../../src/feeds/atom/alerts.ts';
import { DEMONSTRATION, SENT_AT } from '../fixtures/alerts/basrah.ts';

const GOLDEN = path.join(import.meta.dirname, 'alerts.atom');
const base = 'https://warden.example.org';

const entry = (
  id: string,
  sentAt: string,
  over: Partial<AlertFeedEntry['alert']['content']> = {},
): AlertFeedEntry => ({
  alert: { id, sentAt, content: { ...DEMONSTRATION, ...over } },
  senderName: 'U.S. Embassy Baghdad',
  capUrl: `${base}/api/public/alerts/${id}.cap`,
  pageUrl: `${base}/alerts/${id}`,
  countries: ['IQ'],
});

const ENTRIES: AlertFeedEntry[] = [
  entry('a-cancel', '2018-09-08T12:30:00.000Z', {
    msgType: 'Cancel',
    references: [{ alertId: 'a-basrah-cbd', sentAt: SENT_AT }],
    texts: { en: { ...DEMONSTRATION.texts.en, headline: 'Basrah <CBD> & "market"' } },
  }),
  entry('a-drill', '2018-09-08T11:00:00.000Z', { status: 'Exercise', kind: 'emergency' }),
  entry('a-private', '2018-09-08T10:30:00.000Z', { scope: 'Restricted', restriction: 'staff' }),
  entry('a-basrah-cbd', SENT_AT),
];

describe('Atom feed of alerts', () => {
  const xml = alertsAtom(ENTRIES, {
    selfUrl: `${base}/feeds/alerts.atom`,
    jsonUrl: `${base}/api/public/alerts`,
    updated: '2018-09-08T12:30:00.000Z',
  });

  it('matches the golden file and is well-formed XML', () => {
    if (process.env.WARDEN_UPDATE_GOLDEN === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, xml);
    expect(xml).toBe(readFileSync(GOLDEN, 'utf8'));
    const r = spawnSync('xmllint', ['--noout', GOLDEN], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('links each public message to its CAP XML and its page, and leaves out restricted ones', () => {
    const feed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => n === 'entry' || n === 'link' || n === 'category',
    }).parse(xml).feed;
    expect(feed.entry.map((e: { id: string }) => e.id)).toEqual([
      'urn:warden:alert:a-cancel',
      'urn:warden:alert:a-drill',
      'urn:warden:alert:a-basrah-cbd',
    ]);
    const first = feed.entry[0];
    expect(first.link).toEqual([
      { rel: 'alternate', type: 'application/cap+xml', href: `${base}/api/public/alerts/a-cancel.cap` },
      { rel: 'alternate', type: 'text/html', href: `${base}/alerts/a-cancel` },
    ]);
    expect(first.title['#text']).toBe('CANCELLED: Demonstration alert: Basrah <CBD> & "market"');
    expect(feed.entry[1].title['#text']).toBe(
      'EXERCISE: Emergency alert: Demonstrations in Basrah: avoid the central business district',
    );
  });

  it('titles drills, updates and cancels so they cannot be mistaken', () => {
    expect(alertFeedTitle({ ...DEMONSTRATION, status: 'Test', msgType: 'Update' })).toMatch(
      /^TEST: UPDATE: /,
    );
    expect(alertFeedTitle(DEMONSTRATION)).toBe(
      'Demonstration alert: Demonstrations in Basrah: avoid the central business district',
    );
  });
});
