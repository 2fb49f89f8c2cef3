import { useEffect, useState } from 'react';
import { openSession, type TravellerSession } from '../enrollments/client.ts';

// Links in Warden's emails carry their token in the URL fragment (#token=…), which browsers never
// send to a server: it stays out of access logs and Referer headers. The page reads it, drops it
// from the address bar and history, and posts it in a request body.

/** The #token=… of the current URL, without side effects (safe in a state initialiser). */
export function fragmentToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const token = new URLSearchParams(hash).get('token');
  return token && token.length <= 4096 ? token : null;
}

/**
 * The token of the URL fragment, also when a link is opened in a tab already showing the page:
 * the browser then only changes the fragment (no reload), which 'hashchange' reports.
 */
export function useFragmentToken(): string | null {
  const [token, setToken] = useState(fragmentToken);
  useEffect(() => {
    const onHash = () => {
      const next = fragmentToken();
      if (next) setToken(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return token;
}

/** Removes the fragment from the address bar and this history entry (idempotent). */
export function dropFragment(): void {
  if (!window.location.hash) return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

/** Runs `use` once per token: a manage link works once, and React may run effects twice. */
export function once<T>(cache: Map<string, Promise<T>>, token: string, use: (token: string) => Promise<T>) {
  let hit = cache.get(token);
  if (!hit) {
    hit = use(token);
    cache.set(token, hit);
  }
  return hit;
}

const exchanges = new Map<string, Promise<TravellerSession>>();
export const exchangeManageToken = (token: string) => once(exchanges, token, openSession);

// The traveller's session lives in sessionStorage: it ends with the tab, and nothing of it is
// left behind on a shared or borrowed phone the way localStorage would.
const KEY = 'warden.traveller-session';

export function loadSession(): TravellerSession | null {
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<TravellerSession>;
    if (typeof s.sessionToken !== 'string' || typeof s.expiresAt !== 'string') return null;
    if (Date.parse(s.expiresAt) <= Date.now()) {
      window.sessionStorage.removeItem(KEY);
      return null;
    }
    return { sessionToken: s.sessionToken, expiresAt: s.expiresAt };
  } catch {
    return null;
  }
}

export function saveSession(session: TravellerSession): void {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage refused (private mode): the session still works until the page is left.
  }
}

export function clearSession(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
