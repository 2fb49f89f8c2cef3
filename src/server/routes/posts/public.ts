import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Context } from '../../../context.ts';
import { Access } from '../../../domain/auth/policy.ts';
import { WardenError } from '../../../domain/errors.ts';
import { loadGeography } from '../../../domain/geo/index.ts';
import type { CoverageAnswer } from '../../../domain/posts/coverage-index.ts';
import { postureAtom } from '../../../feeds/atom/posts.ts';
import { coverageIndex } from '../../../services/posts/coverage.ts';
import { listPostViews, POSTS_REVISION, type PostView } from '../../../services/posts/posts.ts';
import { listPosts } from '../../../store/posts/posts.ts';
import { listRecentPostureChanges } from '../../../store/posts/posture.ts';
import { readRevisions } from '../../../store/revisions.ts';
import { sendConditional } from '../../plugins/public-cache.ts';
import { CountryCode, responses } from '../../schemas.ts';

const FEED_ENTRIES = 100;

/** What the public may know of a post: no staff identities, no internal reason. */
function publicPost(p: PostView, names: Map<string, string>, served: ReturnType<typeof servedSummary>) {
  const c = p.posture;
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    city: p.city,
    country: p.country,
    location: p.location,
    contact: p.contact,
    district: p.district,
    posture: c && {
      state: c.state,
      departure: c.departure,
      services: c.services,
      effectiveAt: c.effectiveAt,
      reviewBy: c.reviewBy,
      statement: c.statement,
    },
    coverageDelegate: p.coverageDelegateId
      ? { id: p.coverageDelegateId, name: names.get(p.coverageDelegateId) ?? '' }
      : null,
    servedBy: served,
  };
}

function servedSummary(
  a: { post: { id: string; name: string }; serving: boolean; path: readonly { id: string }[] } | undefined,
) {
  return a ? { id: a.post.id, name: a.post.name, serving: a.serving, path: a.path.map((s) => s.id) } : null;
}

function presentCoverage(lat: number, lon: number, a: CoverageAnswer) {
  const s = a.served;
  const district = a.districtPostId;
  return {
    point: { lat, lon },
    country: a.country,
    region: a.region,
    match: a.match,
    post: s
      ? {
          id: s.post.id,
          kind: s.post.kind,
          name: s.post.name,
          city: s.post.city,
          country: s.post.country,
          location: s.post.location,
          contact: s.post.contact,
          state: s.post.state,
        }
      : null,
    serving: s?.serving ?? false,
    districtPost: district && s ? { id: district, name: s.path[0]?.name ?? '' } : null,
    path: s ? s.path : [],
  };
}

export function publicPostRoutes(ctx: Context): FastifyPluginAsyncTypebox {
  return async (app) => {
    const cache = app.publicCache;
    const open = { access: Access.public };
    const tags = ['public'];

    app.get(
      '/api/public/posts',
      {
        config: open,
        schema: {
          tags,
          summary: 'Posts with current posture, services, coverage and statement (no sign-in; ETag/304)',
          querystring: Type.Object({ country: Type.Optional(CountryCode) }, { additionalProperties: false }),
          response: responses({ 200: Type.Unknown(), 304: Type.Null() }),
        },
      },
      async (req, reply) => {
        const country = req.query.country ? loadGeography().country(req.query.country)?.code : undefined;
        if (req.query.country && !country) {
          throw new WardenError('unknown_country', `Unknown country "${req.query.country}".`, {
            country: req.query.country,
          });
        }
        return cache.send(req, reply, {
          key: `posts:list:${country ?? '*'}`,
          revisions: [POSTS_REVISION],
          type: 'application/json; charset=utf-8',
          build: async () => {
            const [views, { index }, all] = await Promise.all([
              listPostViews(ctx, { country }),
              coverageIndex(ctx),
              listPosts(ctx.store.db),
            ]);
            const names = new Map(all.map((p) => [p.id, p.name]));
            return JSON.stringify({
              posts: views.map((p) => publicPost(p, names, servedSummary(index.servedFor(p.id)))),
            });
          },
        });
      },
    );

    app.get(
      '/api/public/coverage',
      {
        config: open,
        schema: {
          tags,
          summary:
            'Which post serves this point now (following coverage delegation); post is null where none',
          querystring: Type.Object(
            {
              lat: Type.Number({ minimum: -90, maximum: 90 }),
              lon: Type.Number({ minimum: -180, maximum: 180 }),
            },
            { additionalProperties: false },
          ),
          response: responses({ 200: Type.Unknown(), 304: Type.Null() }),
        },
      },
      async (req, reply) => {
        const { lat, lon } = req.query;
        const built = await coverageIndex(ctx);
        const body = JSON.stringify(presentCoverage(lat, lon, built.index.lookup(lat, lon)));
        return sendConditional(req, reply, body, {
          lastModified: built.updatedAt,
          type: 'application/json; charset=utf-8',
        });
      },
    );

    app.get(
      '/feeds/posts.atom',
      {
        config: open,
        schema: { tags, summary: 'Atom 1.0 feed of posture changes with their statements, newest first' },
      },
      async (req, reply) =>
        cache.send(req, reply, {
          key: 'posts:atom',
          revisions: [POSTS_REVISION],
          type: 'application/atom+xml; charset=utf-8',
          build: async () => {
            const geo = loadGeography();
            const [changes, posts, revs] = await Promise.all([
              listRecentPostureChanges(ctx.store.db, FEED_ENTRIES),
              listPosts(ctx.store.db),
              readRevisions(ctx.store.db, [POSTS_REVISION]),
            ]);
            const byId = new Map(posts.map((p) => [p.id, p]));
            const base = ctx.config.publicUrl;
            return postureAtom(
              changes.flatMap((change) => {
                const post = byId.get(change.postId);
                if (!post) return [];
                const delegate = change.coverageDelegateId ? byId.get(change.coverageDelegateId) : undefined;
                const countryName = geo.country(post.country)?.name ?? post.country;
                return [{ change, post, countryName, delegateName: delegate?.name ?? null }];
              }),
              {
                selfUrl: `${base}/feeds/posts.atom`,
                baseUrl: base,
                updated:
                  revs.get(POSTS_REVISION)?.updatedAt ?? changes[0]?.createdAt ?? new Date(0).toISOString(),
              },
            );
          },
        }),
    );
  };
}
