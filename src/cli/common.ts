import { type Config, loadConfig, resolveSecretKey } from '../config.ts';
import { type Context, createContext } from '../context.ts';

/** Loads and validates the configuration (every problem listed), then wires a context. */
export async function cliContext(
  override?: (c: Config) => Config,
  opts: { migrate?: boolean; createSecret?: boolean } = {},
): Promise<Context> {
  let config = resolveSecretKey(loadConfig(), { create: opts.createSecret !== false });
  if (override) config = override(config);
  return createContext(config, { migrate: opts.migrate });
}

export async function withContext<T>(
  fn: (ctx: Context) => Promise<T>,
  opts: { migrate?: boolean; createSecret?: boolean } = {},
): Promise<T> {
  const ctx = await cliContext(undefined, opts);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export const out = (s = ''): void => {
  process.stdout.write(`${s}\n`);
};
