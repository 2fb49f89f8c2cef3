import { cliActor } from '../services/audit/audit.ts';
import { createUser } from '../services/auth/users.ts';
import { out, withContext } from './common.ts';

export async function userCreateCommand(opts: {
  email: string;
  role: string;
  scope?: string;
}): Promise<void> {
  await withContext(async (ctx) => {
    const scope = opts.scope
      ? opts.scope
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const { user, password } = await createUser(ctx, cliActor, { email: opts.email, role: opts.role, scope });
    out(
      `Created ${user.role} ${user.email}${user.scope.length ? ` (scope: ${user.scope.join(', ')})` : ''}.`,
    );
    out(`Password (shown once): ${password}`);
  });
}
