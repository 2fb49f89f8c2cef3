import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { Context } from '../../context.ts';
import type { AccessRule } from '../../domain/auth/policy.ts';

/**
 * What a client generator needs from the OpenAPI document: an operation id per operation, how
 * each one authenticates (derived from the route's own access rule, so the document cannot
 * drift from what the server enforces), where the server is, and the error answers.
 */
export function openApiOptions(ctx: Context): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Warden API',
        version: '0.1.0',
        description:
          'Keeps travellers and staff safe abroad: incidents, advisories, post posture, enrollment and ' +
          'public feeds. Every error answers `{ "error": { "code", "message", "details" } }`.',
        license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      },
      servers: [{ url: ctx.config.publicUrl, description: 'This Warden' }],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'warden_session',
            description:
              'The console session (POST /api/auth/login). A cookie-authenticated POST, PUT, PATCH or DELETE ' +
              'must also send the header `X-Warden-CSRF: 1`.',
          },
          staffToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A staff API token (`wdn_…`, POST /api/tokens), acting with its user’s role and scope.',
          },
          organisationToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An organisation token (`wor_…`); it opens the /api/org/ routes and nothing else.',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const access = (route.config as { access?: AccessRule } | undefined)?.access;
      const method = String(Array.isArray(route.method) ? route.method[0] : route.method);
      const out: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
      out.operationId = operationId(method, url);
      out.security = securityOf(access);
      const response = out.response as Record<string, unknown> | undefined;
      if (!response || !Object.keys(response).some((k) => k.startsWith('4'))) {
        out.response = { ...(response ?? { 200: { description: 'OK' } }), ...errorResponses(access) };
      }
      return { schema: out as typeof schema, url };
    },
  };
}

/** `GET /api/posts/:id/posture` -> `getPostsByIdPosture`: stable, unique and URL-safe. */
export function operationId(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '/')
    .split(/[/.\-_]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By${cap(part.slice(1))}` : cap(part)));
  return method.toLowerCase() + (words.join('') || 'Root');
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).replace(/\*/g, 'Any');

function securityOf(access: AccessRule | undefined): Array<Record<string, string[]>> {
  switch (access?.kind) {
    case 'public':
      return [];
    case 'organisation':
      return [{ organisationToken: [] }];
    case 'authenticated':
    case 'roles':
    case undefined:
      return [{ session: [] }, { staffToken: [] }];
    default: {
      const never: never = access;
      return never;
    }
  }
}

function errorResponses(access: AccessRule | undefined): Record<number, unknown> {
  const err = { $ref: 'ErrorBody' };
  const base: Record<number, unknown> = { 400: err, 404: err, 429: err };
  if (access?.kind !== 'public') Object.assign(base, { 401: err, 403: err });
  return base;
}
