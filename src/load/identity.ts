/**
 * Who a request claims to come from: a distinct source address per client (and per rotation
 * epoch), sent as X-Forwarded-For. Addresses come only from ranges reserved for documentation
 * (RFC 5737 TEST-NET-1/2/3, then RFC 3849 2001:db8::/32), so a header can never name a real host.
 * They are header values only — nothing ever connects to them.
 */

const TEST_NETS = ['192.0.2.', '198.51.100.', '203.0.113.'];
const PER_NET = 254; // .1 … .254
const V4_COUNT = TEST_NETS.length * PER_NET;

/** The documentation address standing for identity number `n` (0, 1, 2, … all distinct). */
export function documentationAddress(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`identity number must be a non-negative integer, got ${n}`);
  if (n < V4_COUNT) return `${TEST_NETS[Math.floor(n / PER_NET)]}${(n % PER_NET) + 1}`;
  const m = n - V4_COUNT;
  // 2001:db8:HHHH:LLLL::1 — 2^32 more identities, each in its own /64 like a real residential client.
  const hi = Math.floor(m / 0x10000) % 0x10000;
  const lo = m % 0x10000;
  const top = Math.floor(m / 0x100000000);
  return top === 0 ? `2001:db8:${hi.toString(16)}:${lo.toString(16)}::1` : `2001:db8:${hi.toString(16)}:${lo.toString(16)}:${top.toString(16)}::1`;
}

/**
 * A forged X-Forwarded-For address, a fresh one per `seq` (0, 1, 2, … all distinct): what an
 * attacker who writes the header itself puts first. 2001:db8:ffff:…::f — apart from every
 * client's address, which ends in ::1 (so a forged hop never names a real client either).
 */
export function forgedAddress(seq: number): string {
  if (!Number.isInteger(seq) || seq < 0) throw new RangeError(`forged address number must be a non-negative integer, got ${seq}`);
  const group = (k: number) => (Math.floor(seq / 0x10000 ** k) % 0x10000).toString(16);
  return `2001:db8:ffff:${group(2)}:${group(1)}:${group(0)}::f`;
}

/**
 * Numbers identities so that every (cohort, client, epoch) gets its own: epoch 0 of all cohorts
 * first, then each rotation epoch takes a fresh block of `totalClients`.
 */
export class IdentityPlan {
  private readonly bases: number[];
  private readonly total: number;
  private readonly counts: readonly number[];
  constructor(clientsPerCohort: readonly number[]) {
    this.counts = [...clientsPerCohort];
    this.bases = [];
    let acc = 0;
    for (const c of clientsPerCohort) {
      this.bases.push(acc);
      acc += c;
    }
    this.total = acc;
  }

  /** How many clients cohort `cohort` has. */
  clients(cohort: number): number {
    return this.counts[cohort];
  }

  /** The identity number of `client` of cohort `cohort` during rotation epoch `epoch`. */
  identity(cohort: number, client: number, epoch: number): number {
    return this.bases[cohort] + client + epoch * this.total;
  }

  address(cohort: number, client: number, epoch: number): string {
    return documentationAddress(this.identity(cohort, client, epoch));
  }
}
