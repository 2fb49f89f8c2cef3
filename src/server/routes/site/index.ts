import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import type { MessageLanguage } from '../../../domain/messages/languages.ts';
import { ADVISORIES_REVISION, countryName } from '../../../services/advisories/editions.ts';
import { currentAdvisories } from '../../../services/advisories/read.ts';
import { coverageIndex } from '../../../services/posts/coverage.ts';
import { POSTS_REVISION } from '../../../services/posts/posts.ts';
import {
  ALERT_REVISIONS,
  CURRENT_ALERTS_MAX_LIFE_MS,
  currentPublicAlerts,
  publicAlert,
} from '../../../services/site/alerts.ts';
import {
  countryPageData,
  homeData,
  postPageData,
  searchData,
  sitePosts,
  whoServes,
} from '../../../services/site/read.ts';
import { layout, type Page, type SiteSettings } from '../../../site/layout.ts';
import { locale, preferredLanguage, SITE_LANGUAGES } from '../../../site/locale.ts';
import { alertPage, countryAlertsPage } from '../../../site/pages/alerts.ts';
import { countryPage } from '../../../site/pages/country.ts';
import { homePage } from '../../../site/pages/home.ts';
import { notFoundPage } from '../../../site/pages/not-found.ts';
import { postPage } from '../../../site/pages/post.ts';
import { searchPage } from '../../../site/pages/search.ts';
import { whoServesPage } from '../../../site/pages/who-serves.ts';
import { inLanguage, paths } from '../../../site/paths.ts';
import { sitemapXml } from '../../../site/sitemap.ts';
import { readRevisions } from '../../../store/revisions.ts';
import { type CachedResponse, sendConditional } from '../../plugins/public-cache.ts';
import { siteCss, siteScript } from './assets.ts';

const HTML = 'text/html; charset=utf-8';
const REVISIONS = [ADVISORIES_REVISION, POSTS_REVISION, ...ALERT_REVISIONS];

/** What @fastify/helmet would send, fixed once: cached pages skip helmet (it rebuilds them per request). */
function securityHeaders(https: boolean): Record<string, string> {
  return {
    'content-security-policy':
      "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;worker-src 'self' blob:;connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
    // Each header costs on every cached response; CSP frame-ancestors replaces X-Frame-Options.
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    ...(https && { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }),
  };
}

const countryPaths = new Map<string, string>();
/** '/countries/iq-iraq' for IQ, computed once per country (the slug normalises Unicode). */
function countryPath(code: string): string {
  let p = countryPaths.get(code);
  if (!p) {
    p = paths.country(code, countryName(code));
    countryPaths.set(code, p);
  }
  return p;
}

/** Finds the country of a '/countries/{iso2}-{slug}' segment; undefined when none. */
function countryOfSlug(slug: string): string | undefined {
  const code = slug.split('-')[0] ?? '';
  return /^[a-z]{2}$/i.test(code) ? loadGeography().country(code)?.code : undefined;
}

/**
 * The public site: server-rendered HTML in English, French and Arabic, complete without
 * JavaScript. Each page lives under its language; bare paths redirect by Accept-Language. Pages
 * are built once per revision of the data they show and served from the public cache with ETags.
 */
export function siteRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const script = siteScript(ctx.config.webDir);
    const settings: SiteSettings = { baseUrl: ctx.config.publicUrl, cssHref: siteCss.href };
    const security = securityHeaders(ctx.config.publicUrl.startsWith('https:'));
    // Built once per language, not per request: the cached path allocates little.
    const langHeaders = new Map(
      SITE_LANGUAGES.map((l) => [l, { ...security, 'content-language': l, vary: 'accept-encoding' }]),
    );
    const headersFor = (lang: MessageLanguage) => langHeaders.get(lang) ?? security;
    const page = { helmet: false as const, config: { access: Access.public } };
    const hidden = { hide: true, tags: ['site'] };
    const render = (lang: MessageLanguage, p: Page) => layout(locale(lang), settings, p);

    // One CachedResponse per page, kept (its build closes over the key's data, not the request).
    const responses = new Map<string, CachedResponse>();
    const cached = (
      req: FastifyRequest,
      reply: FastifyReply,
      lang: MessageLanguage,
      key: string,
      build: () => Promise<Page>,
    ) => {
      const fullKey = `site:${lang}:${key}`;
      let r = responses.get(fullKey);
      if (!r) {
        r = {
          key: fullKey,
          revisions: REVISIONS,
          type: HTML,
          headers: headersFor(lang),
          crossOrigin: false,
          maxLifeMs: CURRENT_ALERTS_MAX_LIFE_MS,
          build: async () => render(lang, await build()),
        };
        // Bounded by the pages that exist: countries x languages, posts x languages, alerts x languages.
        if (responses.size > 20_000) responses.clear();
        responses.set(fullKey, r);
      }
      return app.publicCache.send(req, reply, r);
    };

    const notFound = (reply: FastifyReply, lang: MessageLanguage, path: string, message?: string) =>
      reply
        .code(404)
        .headers(headersFor(lang))
        .type(HTML)
        .send(render(lang, notFoundPage(locale(lang), path, message)));

    /** For answers that vary per query (search, who serves): built per request, still with ETags. */
    const fresh = async (req: FastifyRequest, reply: FastifyReply, lang: MessageLanguage, p: Page) => {
      const revs = await readRevisions(ctx.store.db, REVISIONS);
      const last =
        [...revs.values()]
          .map((v) => v.updatedAt)
          .sort()
          .pop() ?? new Date(0).toISOString();
      return sendConditional(req, reply, render(lang, p), {
        lastModified: last,
        type: HTML,
        headers: headersFor(lang),
      });
    };

    app.get('/site.css', { ...page, schema: hidden }, (req, reply) =>
      app.publicCache.send(req, reply, {
        key: 'site:css',
        revisions: [],
        type: 'text/css; charset=utf-8',
        maxAgeSeconds: 31536000,
        build: async () => siteCss.body,
      }),
    );

    // Bare paths: the visitor's language from Accept-Language, then the page in it.
    const toLanguage = (req: FastifyRequest, reply: FastifyReply) => {
      const lang = preferredLanguage(req.headers['accept-language']);
      return reply
        .header('vary', 'accept-language')
        .header('cache-control', 'no-cache')
        .redirect(inLanguage(lang, req.url === '/' ? '/' : req.url), 302);
    };
    for (const p of [
      '/',
      '/search',
      '/who-serves-me',
      '/countries/:slug',
      '/countries/:slug/alerts',
      '/alerts/:id',
    ]) {
      app.get(p, { ...page, schema: hidden }, toLanguage);
    }

    for (const lang of SITE_LANGUAGES) {
      const loc = locale(lang);
      const at = (p: string) => `/${lang}${p}`;

      app.get(`/${lang}/`, { ...page, schema: hidden }, (req, reply) =>
        cached(req, reply, lang, 'home', async () => homePage(loc, await homeData(ctx), script)),
      );

      app.get(
        at('/search'),
        {
          ...page,
          schema: {
            ...hidden,
            querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }),
          },
        },
        async (req, reply) => {
          const q = (req.query.q ?? '').trim();
          const d = searchData(q, lang);
          if (d.exact)
            return reply.redirect(inLanguage(lang, paths.country(d.exact.code, d.exact.name)), 303);
          return fresh(req, reply, lang, searchPage(loc, d));
        },
      );

      app.get(at('/countries/:slug'), { ...page, schema: hidden }, async (req, reply) => {
        const { slug } = req.params as { slug: string };
        const code = countryOfSlug(slug);
        if (!code) return notFound(reply, lang, `/countries/${slug}`);
        const canonical = countryPath(code);
        if (`/countries/${slug}` !== canonical) return reply.redirect(inLanguage(lang, canonical), 301);
        return cached(req, reply, lang, `country:${code}`, async () =>
          countryPage(loc, await countryPageData(ctx, code), script),
        );
      });

      app.get(at('/countries/:slug/alerts'), { ...page, schema: hidden }, async (req, reply) => {
        const { slug } = req.params as { slug: string };
        const code = countryOfSlug(slug);
        if (!code) return notFound(reply, lang, `/countries/${slug}/alerts`);
        const canonical = paths.countryAlerts(code, countryName(code));
        if (`/countries/${slug}/alerts` !== canonical)
          return reply.redirect(inLanguage(lang, canonical), 301);
        return cached(req, reply, lang, `alerts:${code}`, async () =>
          countryAlertsPage(loc, { code, name: countryName(code) }, await currentPublicAlerts(ctx, code)),
        );
      });

      const postRoute = async (req: FastifyRequest, reply: FastifyReply) => {
        const { id, slug } = req.params as { id: string; slug?: string };
        // Checked before the cache, in memory (the coverage index holds every post): an unknown id
        // is never cached.
        const post = (await coverageIndex(ctx)).index.post(id);
        if (!post) return notFound(reply, lang, `/posts/${id}`);
        const canonical = paths.post(post.id, post.name);
        if (`/posts/${id}/${slug ?? ''}` !== canonical)
          return reply.redirect(inLanguage(lang, canonical), 301);
        return cached(req, reply, lang, `post:${id}`, async () => {
          const p = await postPageData(ctx, id);
          if (!p) throw new WardenError('not_found', 'Post not found.', { id });
          return postPage(loc, p, { code: p.country, name: countryName(p.country) });
        });
      };
      app.get(at('/posts/:id'), { ...page, schema: hidden }, postRoute);
      app.get(at('/posts/:id/:slug'), { ...page, schema: hidden }, postRoute);

      app.get(at('/alerts/:id'), { ...page, schema: hidden }, async (req, reply) => {
        const { id } = req.params as { id: string };
        const alert = await publicAlert(ctx, id);
        if (!alert) return notFound(reply, lang, `/alerts/${id}`, loc.words.alertNotFound);
        return cached(req, reply, lang, `alert:${id}`, async () => {
          const a = await publicAlert(ctx, id);
          if (!a) throw new WardenError('not_found', 'Alert not found.', { id });
          return alertPage(loc, a);
        });
      });

      app.get(
        at('/who-serves-me'),
        {
          ...page,
          schema: {
            ...hidden,
            querystring: Type.Object({
              q: Type.Optional(Type.String({ maxLength: 100 })),
              lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
              lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
            }),
          },
        },
        async (req, reply) => {
          const { q = '', lat, lon } = req.query;
          const answer = lat !== undefined && lon !== undefined ? await whoServes(ctx, lat, lon) : null;
          const places = q.trim() ? searchData(q.trim(), lang).places : [];
          return fresh(
            req,
            reply,
            lang,
            whoServesPage(
              loc,
              { q: q.trim(), places, answer, lat: lat?.toString() ?? '', lon: lon?.toString() ?? '' },
              script,
            ),
          );
        },
      );
    }

    app.get('/sitemap.xml', { ...page, schema: hidden }, (req, reply) =>
      app.publicCache.send(req, reply, {
        key: 'site:sitemap',
        revisions: REVISIONS,
        type: 'application/xml; charset=utf-8',
        build: async () => {
          const [advisories, posts] = await Promise.all([currentAdvisories(ctx), sitePosts(ctx)]);
          const countries = new Map<string, string | null>();
          for (const a of advisories) countries.set(a.edition.country, a.edition.publishedAt);
          for (const p of posts) if (!countries.has(p.country)) countries.set(p.country, null);
          return sitemapXml(ctx.config.publicUrl, [
            { path: paths.home() },
            { path: paths.whoServes() },
            ...[...countries].map(([code, lastmod]) => ({
              path: paths.country(code, countryName(code)),
              lastmod,
            })),
            ...posts.map((p) => ({ path: paths.post(p.id, p.name) })),
          ]);
        },
      }),
    );

    app.get('/robots.txt', { ...page, schema: hidden }, (req, reply) =>
      app.publicCache.send(req, reply, {
        key: 'site:robots',
        revisions: [],
        type: 'text/plain; charset=utf-8',
        build: async () =>
          `User-agent: *\nDisallow: /console\nDisallow: /api/\nSitemap: ${ctx.config.publicUrl}/sitemap.xml\n`,
      }),
    );
  };
}

/** An HTML 404 in the visitor's language for paths no route knows (used by the app's not-found handler). */
export function siteNotFound(ctx: Context, req: FastifyRequest, reply: FastifyReply, path: string) {
  const lang =
    SITE_LANGUAGES.find((l) => path.startsWith(`/${l}/`)) ??
    preferredLanguage(req.headers['accept-language']);
  const settings: SiteSettings = { baseUrl: ctx.config.publicUrl, cssHref: siteCss.href };
  return reply
    .code(404)
    .type(HTML)
    .header('content-language', lang)
    .send(layout(locale(lang), settings, notFoundPage(locale(lang), path)));
}
