import pg from 'pg';
import { DELIVERY_CHANNEL } from './deliveries.ts';

/**
 * LISTEN warden_deliveries on a dedicated PostgreSQL connection: `onNotify` runs whenever a
 * transaction that queued deliveries commits, in any process. Reconnects after an error (the
 * worker still polls meanwhile). Returns a function that stops listening.
 */
export function listenForDeliveries(url: string, onNotify: () => void, onError: (err: unknown) => void) {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    c.on('notification', () => onNotify());
    c.on('error', (err) => {
      onError(err);
      void c.end().catch(() => {});
      if (client === c) client = null;
      if (!stopped) retry = setTimeout(connect, 1000).unref();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${DELIVERY_CHANNEL}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      // Anything committed while we were not listening.
      onNotify();
    } catch (err) {
      onError(err);
      void c.end().catch(() => {});
      if (!stopped) retry = setTimeout(connect, 1000).unref();
    }
  };
  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
    client = null;
  };
}
