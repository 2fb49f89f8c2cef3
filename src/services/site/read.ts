import type { Context } from '../../context.ts';
import { diffEditions } from '../../domain/advisories/diff.ts';
import { loadGeography, normalizeName } from '../../domain/geo/index.ts';
import { countryIn } from '../../domain/messages/catalogue.ts';
import type { MessageLanguage } from '../../domain/messages/languages.ts';
import type { CoverageIndex } from '../../domain/posts/coverage-index.ts';
import type {
  Change,
  CountryPageData,
  HomeData,
  Named,
  SearchData,
  SitePost,
  WhoServesAnswer,
} from '../../site/views.ts';
import { listPublishedEditions } from '../../store/advisories/advisories.ts';
import { listRecentPostureChanges } from '../../store/posts/posture.ts';
import { countryName } from '../advisories/editions.ts';
import { countryAdvisory, currentAdvisories } from '../advisories/read.ts';
import { coverageIndex } from '../posts/coverage.ts';
import { getPostView, listPostViews, type PostView } from '../posts/posts.ts';
import { currentPublicAlerts } from './alerts.ts';

/** The read side of the public site: what each page shows, from the same services as the JSON feeds. */

const LATEST = 12;

const named = (code: string): Named => ({ code, name: countryName(code) });
const regionName = (code: string): string => loadGeography().region(code)?.name ?? code;

function sitePost(p: PostView, index: CoverageIndex): SitePost {
  const c = p.posture;
  const served = index.servedFor(p.id);
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    city: p.city,
    country: p.country,
    location: p.location,
    contact: p.contact,
    state: c?.state ?? 'normal',
    departure: c?.departure ?? { staff: 'none', family: 'none' },
    services: c?.services ?? { citizenServices: true, visas: true, walkIn: true },
    since: c?.effectiveAt ?? null,
    statement: c?.statement?.text ?? null,
    districtRegions: p.district.regions.map((code) => ({ code, name: regionName(code) })),
    servedBy: served && served.post.id !== p.id ? { id: served.post.id, name: served.post.name } : null,
    serving: served?.serving ?? true,
  };
}

export async function sitePosts(ctx: Context, country?: string): Promise<SitePost[]> {
  const [views, { index }] = await Promise.all([listPostViews(ctx, { country }), coverageIndex(ctx)]);
  return views.map((p) => sitePost(p, index));
}

export async function homeData(ctx: Context): Promise<HomeData> {
  const [current, editions, changes, posts, alerts] = await Promise.all([
    currentAdvisories(ctx),
    listPublishedEditions(ctx.store.db, LATEST),
    listRecentPostureChanges(ctx.store.db, LATEST),
    sitePosts(ctx),
    currentPublicAlerts(ctx, null),
  ]);
  const byId = new Map(posts.map((p) => [p.id, p]));
  const all: Change[] = [
    ...editions.flatMap((e): Change[] =>
      e.publishedAt && !e.minor
        ? [{ kind: 'edition', at: e.publishedAt, country: named(e.country), edition: e }]
        : [],
    ),
    ...changes.flatMap((c): Change[] => {
      const post = byId.get(c.postId);
      // A post's first posture (its creation) is not news.
      if (!post || c.previousState === null) return [];
      return [{ kind: 'posture', at: c.effectiveAt, country: named(post.country), post, state: c.state }];
    }),
    ...alerts.map((alert): Change => ({ kind: 'alert', at: alert.sentAt, alert })),
  ];
  all.sort((a, b) => b.at.localeCompare(a.at));
  return {
    levels: current
      .map((a) => ({
        code: a.edition.country,
        name: countryName(a.edition.country),
        level: a.edition.level,
        zones: a.edition.zones.length,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en')),
    changes: all.slice(0, LATEST),
  };
}

export async function countryPageData(ctx: Context, code: string): Promise<CountryPageData> {
  const [a, posts, alerts] = await Promise.all([
    countryAdvisory(ctx, code),
    sitePosts(ctx, code),
    currentPublicAlerts(ctx, code),
  ]);
  const previous = a.current ? (a.history.find((e) => e.id !== a.current?.edition.id) ?? null) : null;
  return {
    country: named(code),
    advisory: a.current && {
      current: a.current,
      history: a.history,
      previous,
      diff: previous ? diffEditions(previous, a.current.edition) : null,
    },
    posts,
    alerts,
    regionName,
  };
}

export async function postPageData(ctx: Context, id: string): Promise<SitePost | undefined> {
  const [view, { index }] = await Promise.all([getPostView(ctx, id), coverageIndex(ctx)]);
  return view && sitePost(view, index);
}

/** Country names in a language, normalised for matching (accents and case ignored). */
const countryNames = new Map<MessageLanguage, Array<{ code: string; keys: string[] }>>();

function namesIn(lang: MessageLanguage) {
  let list = countryNames.get(lang);
  if (!list) {
    list = loadGeography()
      .countries()
      .map((c) => ({
        code: c.code,
        keys: [...new Set([c.name, countryIn(lang, c.code, c.name)].map(normalizeName))],
      }));
    countryNames.set(lang, list);
  }
  return list;
}

/** Countries by ISO code or name (in the language or English), then places from the gazetteer. */
export function searchData(q: string, lang: MessageLanguage): SearchData {
  const geo = loadGeography();
  const query = normalizeName(q);
  const countries: Named[] = [];
  const byCode = /^[a-z]{2,3}$/i.test(q.trim()) ? geo.country(q.trim()) : undefined;
  if (byCode) countries.push(named(byCode.code));
  if (query) {
    const starts = namesIn(lang).filter(
      (c) => c.code !== byCode?.code && c.keys.some((k) => k.startsWith(query) || k.includes(` ${query}`)),
    );
    countries.push(...starts.slice(0, 10).map((c) => named(c.code)));
  }
  const places = query
    ? geo.searchPlaces(q, { limit: 10 }).map((p) => ({
        name: p.name,
        region: p.region ? regionName(p.region) : null,
        country: named(p.country),
        lat: p.lat,
        lon: p.lon,
      }))
    : [];
  const exactName = namesIn(lang).find((c) => c.keys.includes(query));
  const exact = byCode ?? (exactName && geo.country(exactName.code));
  return { q, countries, places, exact: exact ? named(exact.code) : null };
}

export async function whoServes(ctx: Context, lat: number, lon: number): Promise<WhoServesAnswer> {
  const { index } = await coverageIndex(ctx);
  const a = index.lookup(lat, lon);
  const servedId = a.served?.post.id;
  const post = servedId ? await postPageData(ctx, servedId) : undefined;
  const district = a.districtPostId ? index.post(a.districtPostId) : undefined;
  return {
    lat,
    lon,
    country: a.country ? named(a.country) : null,
    region: a.region ? { code: a.region, name: regionName(a.region) } : null,
    match: a.match,
    districtPost: district ? { id: district.id, name: district.name } : null,
    post: post ?? null,
    serving: a.served?.serving ?? false,
  };
}
