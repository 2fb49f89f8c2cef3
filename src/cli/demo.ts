import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadDemoWorld } from '../demo/index.ts';
import { cliContext, out } from './common.ts';
import { runServer } from './serve.ts';

/** A throw-away SQLite world under dataDir/demo.db, recreated on each start unless --keep. */
export async function demoCommand(opts: { keep?: boolean }): Promise<void> {
  let file = '';
  const ctx = await cliContext((c) => {
    file = path.join(c.dataDir, 'demo.db');
    if (!opts.keep) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    return { ...c, database: { kind: 'sqlite', file }, databaseUrl: `sqlite:${file}` };
  });
  out(`Demo database: ${file}`);
  const { countUsers } = await import('../store/auth/users.ts');
  if ((await countUsers(ctx.store.db)) === 0) {
    const accounts = await loadDemoWorld(ctx);
    out('');
    out('Demo accounts (passwords are new on every start):');
    for (const a of accounts) {
      out(
        `  ${a.role.padEnd(15)} ${a.email.padEnd(28)} ${a.password}${a.scope.length ? `  scope: ${a.scope.join(',')}` : ''}`,
      );
    }
    out('');
  } else {
    out('Kept the existing demo database; its accounts are unchanged.');
  }
  out(`Open ${ctx.config.publicUrl} and sign in.`);
  await runServer(ctx);
}
