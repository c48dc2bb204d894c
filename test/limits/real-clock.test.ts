import { expect, it } from 'vitest';
import { realClock } from '../../src/limits/types.ts';

it('the real clock is wall-clock seconds since the epoch (within a second of Date.now), never going back', () => {
  const a = realClock();
  expect(Math.abs(a - Date.now() / 1000)).toBeLessThan(1);
  const b = realClock();
  expect(b).toBeGreaterThanOrEqual(a);
});
