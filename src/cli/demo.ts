import { rmSync } from 'node:fs';
import path from 'node:path';
import { createEmailChannel } from '../channels/email.ts';
import { type LocalSinks, startLocalSinks } from '../channels/fakes/index.ts';
import { createSmsChannel } from '../channels/sms.ts';
import { generateWebhookSecret } from '../channels/webhook-signature.ts';
import type { Context } from '../context.ts';
import { loadDemoWorld } from '../demo/index.ts';
import { cliContext, out } from './common.ts';
import { runServer } from './serve.ts';

/** A throw-away SQLite world under dataDir/demo.db, recreated on each start unless --keep. */
export async function demoCommand(opts: { keep?: boolean }): Promise<void> {
  let file = '';
  let sinks: LocalSinks | null = null;
  const ctx = await cliContext((c) => {
    file = path.join(c.dataDir, 'demo.db');
    if (!opts.keep) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    return { ...c, database: { kind: 'sqlite', file }, databaseUrl: `sqlite:${file}` };
  });
  // Local sinks, so a newcomer sees messages leave with nothing set up: an SMTP catcher and a
  // fake SMS provider on this machine (unless real ones are configured).
  if (!ctx.email || !ctx.sms) {
    sinks = await startLocalSinks({
      publicUrl: ctx.config.publicUrl,
      webhookSecret: generateWebhookSecret(),
      parseMail: false,
      keep: 2000,
    });
    const s = sinks.settings;
    const email = ctx.email ?? createEmailChannel({ url: s.smtpUrl!, from: s.mailFrom });
    const sms =
      ctx.sms ??
      createSmsChannel({
        baseUrl: s.sms!.providerUrl,
        accountSid: s.sms!.accountSid,
        authToken: s.sms!.authToken,
        from: s.sms!.from,
        statusCallbackUrl: `${ctx.config.publicUrl}/api/hooks/sms/status`,
      });
    const local = sinks;
    const close = ctx.close;
    const withSinks: Context = {
      ...ctx,
      // Status callbacks from the fake provider are signed with its token.
      config: Object.freeze({
        ...ctx.config,
        sms: ctx.config.sms ?? { ...s.sms!, maxSegments: 3 },
      }),
      email,
      sms,
      close: async () => {
        await close();
        await Promise.all([email.close(), sms.close()]);
        await local.close();
      },
    };
    out(`Demo sinks: SMTP ${local.smtp.url}, SMS provider ${local.sms.url} (messages stay on this machine)`);
    return runDemo(withSinks, file, opts);
  }
  return runDemo(ctx, file, opts);
}

async function runDemo(ctx: Context, file: string, _opts: { keep?: boolean }): Promise<void> {
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
