import pino, { type Logger } from 'pino';
import { LOG_REDACT } from '../../src/context.ts';

/**
 * Logs from tests are kept in memory (set WARDEN_TEST_LOG=1 to see them) so tests can also
 * assert what was — and was never — logged.
 */
export const capturedLogs: string[] = [];

export function testLogger(): Logger {
  const verbose = process.env.WARDEN_TEST_LOG === '1';
  return pino(
    { level: 'info', redact: LOG_REDACT },
    {
      write(line: string) {
        capturedLogs.push(line);
        if (verbose) process.stdout.write(line);
      },
    },
  );
}
