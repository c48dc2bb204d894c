import { describe, expect, it } from 'vitest';
import { IdentityPlan, documentationAddress } from '../../src/load/identity.ts';

describe('identities', () => {
  it('uses TEST-NET-1, -2 and -3 first, then 2001:db8::/32 — documentation ranges only', () => {
    expect(documentationAddress(0)).toBe('192.0.2.1');
    expect(documentationAddress(253)).toBe('192.0.2.254');
    expect(documentationAddress(254)).toBe('198.51.100.1');
    expect(documentationAddress(761)).toBe('203.0.113.254');
    expect(documentationAddress(762)).toBe('2001:db8:0:0::1');
    expect(documentationAddress(762 + 70_000)).toBe('2001:db8:1:1170::1');
  });

  it('gives every client of every cohort in every rotation epoch its own address', () => {
    const plan = new IdentityPlan([3, 2000, 1]);
    const seen = new Set<string>();
    for (let epoch = 0; epoch < 4; epoch++)
      for (const [cohort, clients] of [3, 2000, 1].entries()) for (let c = 0; c < clients; c++) seen.add(plan.address(cohort, c, epoch));
    expect(seen.size).toBe(4 * 2004);
    for (const a of seen) expect(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$|^2001:db8:/.test(a)).toBe(true);
  });
});
