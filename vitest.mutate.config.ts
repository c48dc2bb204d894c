import { defineConfig } from 'vitest/config';

// `npm run mutate` (StrykerJS) runs only the in-process unit tests of the mutated folders: the CLI,
// emulator, browser and k6 end-to-end tests are too slow to run once per mutant on 2 cores.
// MUTATE_TESTS narrows them further (a comma-separated list of globs), e.g.
// MUTATE_TESTS='test/limits/**/*.test.ts': the simulator's tests take minutes per mutant, and a
// score reached without them is a lower bound on the full one.
const all = [
  'test/limits/**/*.test.ts',
  'test/cost/**/*.test.ts',
  'test/simulate/**/*.test.ts',
  'test/pricing/**/*.test.ts',
  // the Price List refresh's in-process tests (prices-cli.test.ts spawns the CLI: too slow per mutant)
  'test/pricing-refresh/{parse,retry,refresh}.test.ts',
];
const only = process.env.MUTATE_TESTS?.split(',').map((g) => g.trim()).filter(Boolean);

export default defineConfig({
  test: {
    include: only && only.length > 0 ? only : all,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
