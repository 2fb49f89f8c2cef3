import { messageProgress } from '../services/deliveries/staff.ts';
import { cliContext, out } from './common.ts';

const BAR = 40;

/** `[#####-----]`: finished share of the whole. */
export function progressBar(done: number, total: number, width = BAR): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * `warden deliveries progress MESSAGE [--watch]`: per channel, a bar of finished deliveries and
 * the counts per state; the rate over the last minute and the time left. With --watch it redraws
 * every two seconds until nothing is left to send.
 */
export async function deliveriesProgressCommand(message: string, opts: { watch?: boolean }): Promise<void> {
  const ctx = await cliContext();
  try {
    for (;;) {
      const p = await messageProgress(ctx, message);
      const finished = (s: Record<string, number>) =>
        (s.sent ?? 0) + (s.delivered ?? 0) + (s.failed ?? 0) + (s.dropped ?? 0);
      const left = (p.states.queued ?? 0) + (p.states.sending ?? 0);
      out(`${message}: ${p.total} deliveries`);
      for (const c of [{ channel: 'all', states: p.states }, ...p.channels]) {
        const n = Object.values(c.states).reduce((a, b) => a + b, 0);
        const detail = Object.entries(c.states)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        out(
          `  ${c.channel.padEnd(8)} ${progressBar(finished(c.states), n)} ${finished(c.states)}/${n}  ${detail}`,
        );
      }
      out(
        `  ${p.ratePerSecond}/s over the last minute; ${
          left === 0
            ? 'nothing left to send'
            : p.etaSeconds !== null
              ? `about ${p.etaSeconds} s left`
              : 'waiting'
        }`,
      );
      if (!opts.watch || left === 0) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await ctx.close();
  }
}
