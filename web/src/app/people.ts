import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type { DirectoryEntry } from '../../../src/server/routes/auth/schema.ts';
import { apiJson } from './api.ts';
import type { User } from './auth.ts';

// Records name their actors 'user:<id>' (or 'cli', 'system'). Every signed-in user may read the
// staff directory (GET /api/users/directory: id and email only), so people are shown by email
// everywhere, not as "user …8c6086" (issue 16).

let directory: Promise<Map<string, string>> | null = null;

function loadDirectory(): Promise<Map<string, string>> {
  directory ??= apiJson<{ users: Static<typeof DirectoryEntry>[] }>('/api/users/directory').then(
    (body) => new Map(body.users.map((u) => [`user:${u.id}`, u.email])),
    () => {
      directory = null; // try again next time rather than keep a failure
      return new Map();
    },
  );
  return directory;
}

/** Forget the directory (after an admin creates or changes a user). */
export function refreshPeople(): void {
  directory = null;
}

export type PersonLabel = (actor: string | null | undefined) => string;

const SYSTEM_ACTORS: Record<string, string> = {
  cli: 'command line',
  system: 'Warden (automatic)',
  anonymous: 'someone not signed in',
};

export function usePeople(me: User): PersonLabel {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    loadDirectory().then((m) => {
      if (live) setNames(m);
    });
    return () => {
      live = false;
    };
  }, []);
  return (actor) => {
    if (!actor) return '—';
    if (actor === `user:${me.id}`) return `you (${me.email})`;
    const email = names.get(actor);
    if (email) return email;
    if (actor.startsWith('user:')) return `user …${actor.slice(-6)}`;
    if (actor.startsWith('organisation:')) return `organisation …${actor.slice(-6)}`;
    return SYSTEM_ACTORS[actor] ?? actor;
  };
}

export const isMe = (me: User, actor: string | null | undefined): boolean => actor === `user:${me.id}`;
