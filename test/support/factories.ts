/**
 * Factories for the fixtures most tests need: posts (with their districts), advisory edition
 * drafts, travellers' enrollments and the Basrah central business district. Each returns a fresh
 * request body; `over` replaces any field. Tests use these instead of re-typing the same literals,
 * so a schema change is made once here.
 */
import type { ApiHarness, Caller } from './api.ts';

export type Json = Record<string, unknown>;

const DAY_MS = 86_400_000;

/** An ISO date (YYYY-MM-DD) `offsetDays` from now. */
export const day = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

let seq = 0;
/** An address no other test (or parallel test process) uses. */
export const uniqueEmail = (tag: string): string => `${tag}.${++seq}.${process.pid}@example.org`;

/** The reference case's posts, as `POST /api/posts` bodies (no district unless asked). */
export const POSTS = {
  basrah: {
    kind: 'consulate_general',
    name: 'Consulate General Basrah',
    city: 'Basrah',
    country: 'IQ',
    location: { lat: 30.51, lon: 47.81 },
  },
  baghdad: {
    kind: 'embassy',
    name: 'Embassy Baghdad',
    city: 'Baghdad',
    country: 'IQ',
    location: { lat: 33.3, lon: 44.39 },
  },
  erbil: {
    kind: 'consulate_general',
    name: 'Consulate General Erbil',
    city: 'Erbil',
    country: 'IQ',
    location: { lat: 36.19, lon: 44.01 },
  },
  najaf: {
    kind: 'office',
    name: 'Office Najaf',
    city: 'Najaf',
    country: 'IQ',
    location: { lat: 32.05, lon: 44.35 },
  },
  amman: {
    kind: 'embassy',
    name: 'Embassy Amman',
    city: 'Amman',
    country: 'JO',
    location: { lat: 31.95, lon: 35.91 },
  },
} as const satisfies Record<string, Json>;

export type PostKey = keyof typeof POSTS;

/** A post body: one of the reference posts, optionally with a district of first-level regions. */
export const postBody = (key: PostKey, over: Json = {}): Json => ({ ...POSTS[key], ...over });

/** Creates a post through the API and returns its id; fails loudly on anything but 201. */
export async function createPostViaApi(h: ApiHarness, who: Caller, body: Json): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/posts', headers: who.headers, payload: body });
  if (res.statusCode !== 201)
    throw new Error(`creating post ${String(body.name)}: ${res.statusCode} ${res.body}`);
  return (res.json() as { post: { id: string } }).post.id;
}

/** A `POST /api/advisories/{country}/editions` body: a Level 2 terrorism draft. */
export const editionBody = (over: Json = {}): Json => ({
  level: 2,
  indicators: ['T'],
  summary: 'Exercise increased caution due to terrorism.',
  body: '## Terrorism\n\nTerrorist groups continue plotting attacks.',
  changeNote: 'First edition.',
  ...over,
});

/** A `POST /api/public/enrollments` body: one traveller, one whole-country trip to Iraq from tomorrow. */
export const enrollmentBody = (over: Json = {}): Json => ({
  name: 'Nadia Karim',
  email: uniqueEmail('nadia'),
  language: 'en',
  emergencyContact: { name: 'Karim' },
  consent: true,
  trips: [{ country: 'IQ', wholeCountry: true, arrival: day(1) }],
  ...over,
});

/** The Basrah central business district of the reference case (GeoJSON, lon/lat). */
export const BASRAH_CBD = {
  type: 'Polygon',
  coordinates: [
    [
      [47.78, 30.5],
      [47.83, 30.5],
      [47.83, 30.53],
      [47.78, 30.53],
      [47.78, 30.5],
    ],
  ],
} as const;
