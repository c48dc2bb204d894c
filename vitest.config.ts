import { defineConfig } from 'vitest/config';

/**
 * Tests that drive real traffic at a real clock and count what came back (rates, throttles, agreement
 * with the simulator). They run as a project of their own, one file at a time and before the rest
 * (scripts/test.js), so CPU-heavy suites never share the two cores with them.
 */
export const LIVE_TESTS = [
  'test/load/dispatcher.test.ts',
  'test/load/dispatcher-sizing.test.ts',
  'test/run/cli.test.ts',
  'test/run/live-run.test.ts',
  'test/run/mixed-run.test.ts',
  'test/run/cloudwatch-merge.test.ts',
  'test/emulator/agreement.test.ts',
  'test/emulator/throttling.test.ts',
  'test/emulator/hostile-clients.test.ts',
  'test/k6/k6-e2e.test.ts',
  'test/k6/import.test.ts',
  'test/detect/live.test.ts',
  'test/collect/collect-emulator.test.ts',
  'test/run/one-basis.test.ts',
  'test/run/exit-codes.test.ts',
  'test/run/local-cloudwatch.test.ts',
  'test/k6/import-runners.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'live', include: LIVE_TESTS, fileParallelism: false } },
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: LIVE_TESTS } },
    ],
  },
});
