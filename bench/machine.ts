import os from 'node:os';

/** One line that says where the figures came from; every benchmark prints it first. */
export function machineLine(): string {
  const cpus = os.cpus();
  return [
    `machine: ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `${os.platform()} ${os.release()}`,
    `node ${process.version}`,
  ].join(', ');
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
