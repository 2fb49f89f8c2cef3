import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyRequest,
  LogController,
  type RouteOptions,
} from 'fastify';
import type { Context } from '../context.ts';
import { Access, type AccessRule } from '../domain/auth/policy.ts';
import { WardenError } from '../domain/errors.ts';
import { isLegacyConsolePath, isTravellerPath } from '../site/paths.ts';
import { registerAuth } from './plugins/auth.ts';
import { clientErrorHandler, frameworkErrors } from './plugins/client-errors.ts';
import { registerErrorHandling, sendError } from './plugins/errors.ts';
import { openApiOptions } from './plugins/openapi.ts';
import { PublicCache } from './plugins/public-cache.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerValidators } from './plugins/validation.ts';
import { advisoryRoutes } from './routes/advisories/index.ts';
import { publicAdvisoryRoutes } from './routes/advisories/public.ts';
import { alertRoutes } from './routes/alerts/index.ts';
import { publicAlertRoutes } from './routes/alerts/public.ts';
import { auditRoutes } from './routes/audit/index.ts';
import { authRoutes } from './routes/auth/index.ts';
import { tokenRoutes } from './routes/auth/tokens.ts';
import { userRoutes } from './routes/auth/users.ts';
import { checkinRoutes } from './routes/checkins/index.ts';
import { publicCheckinRoutes } from './routes/checkins/public.ts';
import { deliveryHookRoutes } from './routes/deliveries/hooks.ts';
import { deliveryRoutes } from './routes/deliveries/index.ts';
import { enrollmentRoutes } from './routes/enrollments/index.ts';
import { publicEnrollmentRoutes } from './routes/enrollments/public.ts';
import { publicPresenceRoutes } from './routes/enrollments/public-presence.ts';
import { geoRoutes } from './routes/geo/index.ts';
import { healthRoutes } from './routes/health/index.ts';
import { actorRoutes } from './routes/incidents/actors.ts';
import { incidentRoutes } from './routes/incidents/index.ts';
import { trendRoutes } from './routes/incidents/trends.ts';
import { orgEnrollmentRoutes } from './routes/organisations/enrollments.ts';
import { organisationRoutes } from './routes/organisations/index.ts';
import { postRoutes } from './routes/posts/index.ts';
import { postureRoutes } from './routes/posts/posture.ts';
import { publicPostRoutes } from './routes/posts/public.ts';
import { rosterRoutes } from './routes/rosters/index.ts';
import { publicRosterRoutes } from './routes/rosters/public.ts';
import { siteNotFound, siteRoutes } from './routes/site/index.ts';
import { publicSubscriptionRoutes } from './routes/subscriptions/public.ts';
import { publicUnsubscribeRoutes } from './routes/subscriptions/public-unsubscribe.ts';
import { taskRoutes } from './routes/tasks/index.ts';
import { ErrorBody } from './schemas.ts';

export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly access: AccessRule | undefined;
  /** The route's request schemas as declared (tests walk them). */
  readonly schema?: { body?: unknown; querystring?: unknown; params?: unknown };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route with its access rule, for the authorization test and the docs. */
    routeTable: RouteInfo[];
  }
}

/** Registers a third-party plugin whose routes are all public (docs UI, static console files). */
function asPublic(plugin: FastifyPluginAsync): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRoute', (r: RouteOptions) => {
      r.config = { ...(r.config as object), access: Access.public };
    });
    await app.register(plugin);
  };
}

// Paths that never get the console's shell instead of a 404 (a missing asset is a missing file).
const API_PREFIXES = ['/api/', '/feeds/', '/geo/', '/cap/', '/healthz', '/assets/'];

/**
 * Whether a path can be one of the console's own routes: decoded, it holds no dot segment,
 * backslash or control character (a traversal attempt gets a 404, not the app shell).
 */
function isClientRoute(path: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  return !/(^|\/)\.\.?(\/|$)|\\|[\u0000-\u001f\u007f]/.test(decoded);
}

/** A request as Fastify logs it, with the value of every `token` query parameter redacted. */
export function requestForLog(req: FastifyRequest) {
  return {
    method: req.method,
    url: req.url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]'),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The whole HTTP application without listen(): tests drive it with app.inject(). */
export async function buildApp(
  ctx: Context,
  opts: {
    /**
     * Level of the one line logged per request. The demo logs them at debug, so that its accounts
     * do not scroll away under two lines a request (issue 16).
     */
    requestLogLevel?: 'info' | 'debug';
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    // One line per request (written in onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Request entries name the path and query with any token's value taken out: a one-click
    // unsubscribe link carries its token in the query (RFC 8058 leaves no other place).
    loggerInstance: ctx.log.child({}, { serializers: { req: requestForLog } }) as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    // Signed tokens in paths (check-in callbacks) exceed the default maxParamLength of 100; every
    // route's schema still bounds its own params.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 },
    // Requests that never reach a route still answer in our error format (plugins/client-errors.ts).
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const requestLevel = opts.requestLogLevel ?? 'info';
  app.addHook('onResponse', (req, reply, done) => {
    req.log[requestLevel](
      { req, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      `${req.method} ${requestForLog(req).url} ${reply.statusCode}`,
    );
    done();
  });

  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const method of methods) {
      // The rule is read when the request arrives, so a plugin's onRoute hook may still set it.
      const entry = { method, url: r.url, schema: r.schema } as Omit<RouteInfo, 'access'> & {
        access: AccessRule | undefined;
      };
      Object.defineProperty(entry, 'access', {
        enumerable: true,
        get: () => (r.config as { access?: AccessRule } | undefined)?.access,
      });
      routeTable.push(entry);
    }
  });
  // Callback style: an async hook costs a promise and a microtask on every response.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });

  registerValidators(app);
  registerErrorHandling(app);
  app.addSchema(ErrorBody);
  await app.register(cookie);
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Only meaningful behind https; on plain-http installs it would break every asset load.
        upgradeInsecureRequests: ctx.config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  registerAuth(app, ctx);

  await app.register(swagger, openApiOptions(ctx));
  await app.register(asPublic(async (a) => a.register(swaggerUi, { routePrefix: '/api/docs' })));

  await app.register(healthRoutes(ctx));
  await app.register(authRoutes(ctx));
  await app.register(userRoutes(ctx));
  await app.register(tokenRoutes(ctx));
  await app.register(auditRoutes(ctx));
  await app.register(geoRoutes());
  // One cache for every public read, so a change notice reaches all of them.
  app.decorate('publicCache', new PublicCache(ctx));
  await app.register(advisoryRoutes(ctx));
  await app.register(publicAdvisoryRoutes(ctx));
  await app.register(postRoutes(ctx));
  await app.register(postureRoutes(ctx));
  await app.register(taskRoutes(ctx));
  await app.register(publicPostRoutes(ctx));
  await app.register(publicEnrollmentRoutes(ctx));
  await app.register(publicSubscriptionRoutes(ctx));
  await app.register(publicUnsubscribeRoutes(ctx));
  await app.register(publicPresenceRoutes(ctx));
  await app.register(enrollmentRoutes(ctx));
  await app.register(organisationRoutes(ctx));
  await app.register(orgEnrollmentRoutes(ctx));
  await app.register(rosterRoutes(ctx));
  await app.register(publicRosterRoutes(ctx));
  await app.register(checkinRoutes(ctx));
  await app.register(publicCheckinRoutes(ctx));
  await app.register(incidentRoutes(ctx));
  await app.register(actorRoutes(ctx));
  await app.register(trendRoutes(ctx));
  await app.register(alertRoutes(ctx));
  await app.register(publicAlertRoutes(ctx));
  await app.register(deliveryRoutes(ctx));
  await app.register(deliveryHookRoutes(ctx));
  await app.register(siteRoutes(ctx));

  const webDir = ctx.config.webDir;
  const hasWeb = existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await app.register(
      asPublic(async (a) => a.register(fastifyStatic, { root: webDir, wildcard: true, index: false })),
    );
  }
  // The staff console lives under /console and the traveller pages at /enroll, /subscribe and
  // /privacy: both are client-side routes, so any GET for HTML there gets the app shell. The
  // console's old paths (/posts/…, /login…) redirect; any other page is the site's HTML 404.
  app.setNotFoundHandler((req, reply) => {
    const p = req.url.split('?')[0] ?? '/';
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    const page =
      req.method === 'GET' && wantsHtml && !API_PREFIXES.some((x) => p.startsWith(x)) && isClientRoute(p);
    if (page && hasWeb && (p === '/console' || p.startsWith('/console/') || isTravellerPath(p))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    if (page && isLegacyConsolePath(p)) return reply.redirect(`/console${req.url}`, 301);
    if (page) return siteNotFound(ctx, req, reply, p);
    return sendError(reply, new WardenError('route_not_found', `No route ${req.method} ${p}.`, {}));
  });

  return app;
}
