import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: two files at a time keeps PostgreSQL and Chromium from starving each other.
    maxWorkers: 2,
    // A poll waits on the app (a debounced search, a fetch); with Chromium, PostgreSQL and two test
    // files sharing two cores, the default second was not always enough (a CI run lost a whole
    // browser file to one slow actor lookup).
    expect: { poll: { timeout: 10_000 } },
    reporters: ['default'],
  },
});
