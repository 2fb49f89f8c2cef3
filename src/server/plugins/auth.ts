import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Context } from '../../context.ts';
import { type AccessRule, authorize, inScope } from '../../domain/auth/policy.ts';
import type { OrganisationPrincipal, Principal, ResourceScope } from '../../domain/auth/principal.ts';
import { WardenError } from '../../domain/errors.ts';
import type { Actor } from '../../services/audit/audit.ts';
import {
  type Resolved,
  resolveApiToken,
  resolveSession,
  SESSION_COOKIE,
} from '../../services/auth/sessions.ts';
import {
  ORG_TOKEN_PREFIX,
  organisationActor,
  resolveOrganisationToken,
} from '../../services/organisations/organisations.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Required: a route without a rule is refused for everybody. */
    access?: AccessRule;
    /** For scoped rules: the posts/country the request touches (null = not found). */
    resourceScope?: (req: FastifyRequest) => Promise<ResourceScope | null>;
    /** Open to a user who signed in with a one-time password (me, change password, sign out). */
    duringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set instead of `principal` when the caller presented an organisation token (`wor_…`). */
    organisation: OrganisationPrincipal | null;
    authError: 'session_expired' | 'invalid_token' | 'unauthenticated' | null;
  }
}

export const CSRF_HEADER = 'x-warden-csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const actorOf = (req: FastifyRequest): Actor =>
  req.organisation
    ? organisationActor(req.organisation, req.id)
    : { principal: req.principal, requestId: req.id };

type Identified = Resolved | { organisation: OrganisationPrincipal };

async function identify(ctx: Context, req: FastifyRequest): Promise<Identified | null> {
  const authz = req.headers.authorization;
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (m?.[1]?.startsWith(ORG_TOKEN_PREFIX)) return resolveOrganisationToken(ctx, m[1]);
    return m?.[1] ? resolveApiToken(ctx, m[1]) : { error: 'invalid_token' };
  }
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? resolveSession(ctx, cookie) : null;
}

function deny(req: FastifyRequest, decision: 'unauthenticated' | 'forbidden'): WardenError {
  if (decision === 'forbidden') return new WardenError('forbidden', 'You do not have access to this.', {});
  switch (req.authError) {
    case 'session_expired':
      return new WardenError('session_expired', 'Your session has expired; sign in again.', {});
    case 'invalid_token':
      return new WardenError('invalid_token', 'The API token is not valid.', {});
    default:
      return new WardenError('unauthenticated', 'Sign in to continue.', {});
  }
}

/** Applies what identify() found: the route's rule, then the CSRF header for cookie sessions. */
function admit(req: FastifyRequest, resolved: Identified | null): WardenError | undefined {
  if (resolved && 'principal' in resolved) req.principal = resolved.principal;
  else if (resolved && 'organisation' in resolved) req.organisation = resolved.organisation;
  else if (resolved) req.authError = resolved.error;

  const decision = authorize(req.principal, req.routeOptions.config.access, req.organisation);
  if (decision !== 'allow') return deny(req, decision);
  if (req.principal?.mustChangePassword && !req.routeOptions.config.duringPasswordChange) {
    return new WardenError(
      'password_change_required',
      'Your password was set by someone else; choose your own before going on.',
      {},
    );
  }

  const cookieAuth = !req.headers.authorization && req.cookies[SESSION_COOKIE] !== undefined;
  if (UNSAFE.has(req.method) && cookieAuth && req.headers[CSRF_HEADER] !== '1') {
    return new WardenError(
      'csrf_failed',
      `Requests from the console must carry the ${CSRF_HEADER} header.`,
      {},
    );
  }
  return undefined;
}

/**
 * Authenticates every request (session cookie or bearer token) and applies the route's access
 * rule before the body is even read. Cookie-authenticated unsafe requests must carry the
 * X-Warden-CSRF header, which a cross-site form or image cannot send.
 */
export function registerAuth(app: FastifyInstance, ctx: Context): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('organisation', null);
  app.decorateRequest('authError', null);

  // Callback-style hooks with a synchronous fast path: every public read passes through them,
  // and an async hook costs a promise and a microtask per request even when it has nothing to do.
  app.addHook('onRequest', (req, _reply, done) => {
    // No route matched: the not-found handler answers, and it reveals nothing.
    if (req.is404) return done();
    const hasCredentials =
      req.headers.authorization !== undefined || req.cookies[SESSION_COOKIE] !== undefined;
    if (!hasCredentials) {
      // Nothing to look up, and no cookie means no CSRF risk: only the rule is left to check.
      const decision = authorize(null, req.routeOptions.config.access);
      return done(decision === 'allow' ? undefined : deny(req, decision));
    }
    identify(ctx, req).then((resolved) => done(admit(req, resolved)), done);
  });

  // Before body validation: an officer outside scope gets 403 whatever they send, and learns
  // nothing about a resource from validation errors.
  app.addHook('preValidation', (req, _reply, done) => {
    const rule = req.routeOptions.config.access;
    const principal = req.principal;
    if (rule?.kind !== 'roles' || !rule.scoped || !principal) return done();
    const resolver = req.routeOptions.config.resourceScope;
    if (!resolver) return done(new WardenError('forbidden', 'Route has no scope resolver.', {}));
    resolver(req).then((resource) => {
      if (!resource) return done(new WardenError('not_found', 'Not found.', {}));
      if (!inScope(principal, resource))
        return done(new WardenError('forbidden', 'This is outside your scope.', {}));
      done();
    }, done);
  });
}
