import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/model/timeline.ts';
import { emptyTotals, type Totals } from '../../src/model/totals.ts';
import { cohortDeviation, deviationWarnings } from '../../src/run/cohort-reconcile.ts';

const tl = (cohorts: Record<string, Partial<Totals>>): Timeline => ({
  source: 'emulator',
  durationSeconds: 20,
  bucketSeconds: 20,
  cohorts: Object.entries(cohorts).map(([name, t]) => ({ name, role: name === 'users' ? 'legit' : 'attack', buckets: [{ ...emptyTotals(), ...t }] })),
});

describe('per-cohort reconciliation', () => {
  // predicted: users 52 of 100 served, bots 1,048 of 2,000 (a 50/100 stage over 20 s, in proportion)
  const predicted = tl({ users: { offered: 100, succeeded: 52, gatewayThrottled: 48 }, bots: { offered: 2000, succeeded: 1048, gatewayThrottled: 952 } });

  it('all cohorts can agree while one cohort got the tokens: the per-cohort view flags it', () => {
    // users served 93: Δ = 41 > 15 % of 100 and > 3√52 + 5 ≈ 26.6; bots 1,007: Δ = −41, within 15 % of 2,000
    const measured = tl({ users: { offered: 100, succeeded: 93, gatewayThrottled: 7 }, bots: { offered: 2000, succeeded: 1007, gatewayThrottled: 993 } });
    const dev = cohortDeviation(measured, predicted);
    expect(dev.users.outcomes.succeeded).toMatchObject({ measured: 93, predicted: 52, ofOffered: 0.41, beyondTolerance: true });
    expect(dev.bots.outcomes.succeeded.beyondTolerance).toBe(false);
    const [w, ...rest] = deviationWarnings(dev);
    expect(rest).toEqual([]);
    expect(w).toMatch(/^MISMATCH in cohort "users" \(legit, 100 offered\): gatewayThrottled 7 measured vs 48 predicted; succeeded 93 measured vs 52 predicted/);
    expect(w).toMatch(/did not behave as the stack file declares/);
  });

  it('small wobbles are chance, not a mismatch: users served 60 (Δ 8 < 15)', () => {
    const measured = tl({ users: { offered: 100, succeeded: 60, gatewayThrottled: 40 }, bots: { offered: 2000, succeeded: 1040, gatewayThrottled: 960 } });
    expect(deviationWarnings(cohortDeviation(measured, predicted))).toEqual([]);
  });

  it('a mismatch with many requests dropped by the driver names the drops first', () => {
    const measured = tl({ users: { offered: 100, succeeded: 52, gatewayThrottled: 48 }, bots: { offered: 1500, dropped: 500, succeeded: 1048, gatewayThrottled: 452 } });
    const [w] = deviationWarnings(cohortDeviation(measured, predicted));
    expect(w).toMatch(/MISMATCH in cohort "bots".*The driver could not send 500 of this cohort's requests on time/);
  });
});
