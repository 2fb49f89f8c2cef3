import type { Context } from '../../context.ts';
import type { AlertArea } from '../../domain/alerts/types.ts';
import { WardenError } from '../../domain/errors.ts';
import type { Contact, Post } from '../../domain/posts/types.ts';
import type { Db } from '../../store/db.ts';
import { findPost } from '../../store/posts/posts.ts';
import { coverageAt } from '../posts/coverage.ts';

/*
 * Which post issues an alert: the one that serves the area, and when a post cannot serve citizens
 * (ordered departure, suspension) its covering post, whose assistance block the alert carries.
 */

/** A point of the area to ask "who serves here?": a circle's centre, a polygon's first vertex. */
export function areaAnchor(area: AlertArea): { lat: number; lon: number } | null {
  const c = area.circles[0];
  if (c) return { lat: c.lat, lon: c.lon };
  const g = area.polygons[0];
  const ring = g ? (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0]?.[0]) : undefined;
  if (ring && ring.length > 0) {
    // The mean of the ring's vertices (without the closing repeat): inside for the usual shapes.
    const pts = ring.slice(0, -1);
    const lon = pts.reduce((s, p) => s + p[0]!, 0) / pts.length;
    const lat = pts.reduce((s, p) => s + p[1]!, 0) / pts.length;
    return { lat, lon };
  }
  return null;
}

/** The post that serves citizens for `postId`'s district now: itself, or its covering post. */
export async function issuingPost(ctx: Context, db: Db, postId: string): Promise<Post> {
  const post = await findPost(db, postId);
  if (!post) throw new WardenError('not_found', 'Post not found.', { id: postId, path: '/postId' });
  const answer = await coverageAt(ctx, post.location.lat, post.location.lon);
  const served = answer.served;
  if (answer.districtPostId === post.id && served && served.post.id !== post.id && served.serving) {
    return (await findPost(db, served.post.id)) ?? post;
  }
  return post;
}

/** The post serving the area's anchor point, when one does. */
export async function servingPostFor(ctx: Context, area: AlertArea): Promise<string | null> {
  const at = areaAnchor(area);
  if (!at) return null;
  const answer = await coverageAt(ctx, at.lat, at.lon);
  return answer.served?.post.id ?? answer.districtPostId ?? null;
}

/** The Assistance section as a post's contact card: name, address, phone, email, hours. */
export function assistanceBlock(post: { name: string; contact: Contact }): string {
  const c = post.contact;
  return [post.name, c.address, c.phone && `Tel. ${c.phone}`, c.email, c.hours]
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .join('\n');
}
