import { defineConfig } from 'vitest/config';

// `npm run mutate` (StrykerJS) runs only the in-process unit tests of the mutated folders: the CLI,
// emulator, browser and k6 end-to-end tests are too slow to run once per mutant on 2 cores.
export default defineConfig({
  test: {
    include: ['test/limits/**/*.test.ts', 'test/cost/**/*.test.ts', 'test/simulate/**/*.test.ts', 'test/pricing/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
