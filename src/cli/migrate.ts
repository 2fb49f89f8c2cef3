import { migrateToLatest } from '../store/migrate.ts';
import { out, withContext } from './common.ts';

export async function migrateCommand(): Promise<void> {
  await withContext(
    async (ctx) => {
      const { results = [] } = await migrateToLatest(ctx.store.db, ctx.store.backend, {
        secretKey: ctx.config.secretKey,
      });
      if (results.length === 0) out('The database is up to date.');
      for (const r of results) out(`${r.status === 'Success' ? 'applied' : r.status}: ${r.migrationName}`);
    },
    { migrate: false },
  );
}
