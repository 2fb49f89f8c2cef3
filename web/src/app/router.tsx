import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';
import { isPublicPath } from '../public/paths.ts';

// A deliberately tiny router: the console has a handful of pages, so the History API plus one
// subscription is all that is needed. Patterns are matched by `matchPath` in App.tsx.

const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', emit);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The staff console lives under /console (the public site has `/`); its pages keep their own
 * paths ('/posts/:id') inside the app, and only URLs carry the prefix. Traveller pages (/enroll,
 * /subscribe, /privacy) stay where their emailed links point.
 */
export const CONSOLE_BASE = '/console';

/** The URL of an app path: '/posts' -> '/console/posts'; traveller pages unchanged. */
export function toUrl(path: string): string {
  if (isPublicPath(path) || path.startsWith(`${CONSOLE_BASE}/`) || path === CONSOLE_BASE) return path;
  return path === '/' ? CONSOLE_BASE : `${CONSOLE_BASE}${path}`;
}

/** The app path of a URL path: '/console/posts' -> '/posts', '/console' -> '/'. */
export function fromUrl(pathname: string): string {
  if (pathname === CONSOLE_BASE || pathname === `${CONSOLE_BASE}/`) return '/';
  return pathname.startsWith(`${CONSOLE_BASE}/`) ? pathname.slice(CONSOLE_BASE.length) : pathname;
}

function currentPath(): string {
  return fromUrl(window.location.pathname);
}

function currentSearch(): string {
  return window.location.search;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const to = toUrl(path);
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  emit();
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

/** The query string as URLSearchParams (a new object per change, stable between renders). */
let lastSearch = '';
let lastParams = new URLSearchParams();
function currentParams(): URLSearchParams {
  const search = currentSearch();
  if (search !== lastSearch) {
    lastSearch = search;
    lastParams = new URLSearchParams(search);
  }
  return lastParams;
}

export function useSearchParams(): URLSearchParams {
  return useSyncExternalStore(subscribe, currentParams);
}

/** Replaces some query parameters (null removes one) without adding a history entry. */
export function setSearchParams(patch: Record<string, string | null>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  navigate(`${currentPath()}${query ? `?${query}` : ''}`, { replace: true });
}

/**
 * Matches '/posts/:id/edit' against a path; returns the decoded parameters or null.
 * Segments are compared exactly; a trailing slash on the path is ignored.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const h = have[i] as string;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) return null;
  }
  return params;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  /** Marks the link current for every path under `to` too (navigation sections). */
  section?: boolean;
}

export function Link({ to, section = false, onClick, children, ...rest }: LinkProps) {
  const path = usePath();
  const current = section ? path === to || path.startsWith(`${to}/`) : path === to;
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    // Leave modified clicks (new tab, new window, download) to the browser.
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={toUrl(to)} aria-current={current ? 'page' : undefined} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
