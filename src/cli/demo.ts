import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createEmailChannel } from '../channels/email.ts';
import { type LocalSinks, startLocalSinks } from '../channels/fakes/index.ts';
import { createSmsChannel } from '../channels/sms.ts';
import { generateWebhookSecret } from '../channels/webhook-signature.ts';
import type { Context } from '../context.ts';
import { type DemoAccount, loadDemoWorld } from '../demo/index.ts';
import { cliContext, out } from './common.ts';
import { runServer } from './serve.ts';

const accountsFile = (dataDir: string) => path.join(dataDir, 'demo-accounts.txt');

function accountLines(accounts: readonly DemoAccount[], forced: boolean): string[] {
  return [
    `Demo accounts (passwords are new on every start${forced ? '; each must be changed at first sign-in' : ''}):`,
    ...accounts.map(
      (a) =>
        `  ${a.role.padEnd(15)} ${a.email.padEnd(28)} ${a.password}${a.scope.length ? `  scope: ${a.scope.join(',')}` : ''}`,
    ),
    '',
    'Print them again with `warden demo --accounts`.',
  ];
}

/** A throw-away SQLite world under dataDir/demo.db, recreated on each start unless --keep. */
export async function demoCommand(opts: {
  keep?: boolean;
  forcedChange?: boolean;
  accounts?: boolean;
}): Promise<void> {
  if (opts.accounts) {
    // The passwords scroll away under the request log; the demo keeps them in its data directory.
    const { loadConfig } = await import('../config.ts');
    try {
      out(readFileSync(accountsFile(loadConfig().dataDir), 'utf8').trimEnd());
    } catch {
      out('No demo accounts yet: start the demo with `warden demo` first.');
    }
    return;
  }
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

async function runDemo(
  ctx: Context,
  file: string,
  opts: { keep?: boolean; forcedChange?: boolean },
): Promise<void> {
  out(`Demo database: ${file}`);
  const { countUsers } = await import('../store/auth/users.ts');
  if ((await countUsers(ctx.store.db)) === 0) {
    const forced = opts.forcedChange !== false;
    const accounts = await loadDemoWorld(ctx, undefined, { forcedPasswordChange: forced });
    const lines = accountLines(accounts, forced);
    // Demo passwords only, in the demo's own data directory, readable by its owner alone.
    writeFileSync(accountsFile(ctx.config.dataDir), `${lines.join('\n')}\n`, { mode: 0o600 });
    out('');
    for (const l of lines) out(l);
    out('');
  } else {
    out(
      'Kept the existing demo database; its accounts are unchanged (`warden demo --accounts` prints them).',
    );
  }
  out(`Open ${ctx.config.publicUrl} for the public site, ${ctx.config.publicUrl}/console to sign in.`);
  // Requests at debug level: the accounts printed above stay on screen (WARDEN_LOG_LEVEL=debug shows them).
  await runServer(ctx, { requestLogLevel: 'debug' });
}
