import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type { UserSchema } from '../../../src/server/routes/auth/schema.ts';
import { apiJson } from './api.ts';
import type { User } from './auth.ts';

// Records name their actors 'user:<id>' (or 'cli', 'system'). Admins can list users, so they see
// email addresses; everyone else sees "you" for themselves and a short id for others.

let directory: Promise<Map<string, string>> | null = null;

function loadDirectory(): Promise<Map<string, string>> {
  directory ??= apiJson<{ users: Static<typeof UserSchema>[] }>('/api/users').then(
    (body) => new Map(body.users.map((u) => [`user:${u.id}`, u.email])),
    () => new Map(),
  );
  return directory;
}

export type PersonLabel = (actor: string | null | undefined) => string;

export function usePeople(me: User): PersonLabel {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (me.role !== 'admin') return;
    let live = true;
    loadDirectory().then((m) => {
      if (live) setNames(m);
    });
    return () => {
      live = false;
    };
  }, [me.role]);
  return (actor) => {
    if (!actor) return '—';
    if (actor === `user:${me.id}`) return `you (${me.email})`;
    const email = names.get(actor);
    if (email) return email;
    if (actor.startsWith('user:')) return `user …${actor.slice(-6)}`;
    return actor;
  };
}

export const isMe = (me: User, actor: string | null | undefined): boolean => actor === `user:${me.id}`;
