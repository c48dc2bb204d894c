/**
 * Which request of a cohort's weighted mix goes next. Smooth weighted round-robin (nginx's): each
 * pick adds every weight to its running credit and takes the request with the most credit, which
 * then pays back the total. Deterministic — no PRNG, so two runs send the same sequence — and
 * exact: over any Σ-weights consecutive picks (integer weights) each request gets its weight, and
 * at every point each request's count is within one of weight/Σ × picks. The requests of one
 * mix interleave ("GET GET POST GET GET …"), never arrive in blocks.
 */
export interface MixRequest {
  method: string;
  /** Path as sent, the target's base path included. */
  path: string;
  bodyBytes: number;
  /** One body buffer per request of the mix, reused for every send (null: no body). */
  body: Buffer | null;
}

export class RequestMix {
  readonly requests: readonly MixRequest[];
  private readonly weights: number[];
  private readonly credit: number[];
  private readonly total: number;

  constructor(requests: readonly (Omit<MixRequest, 'body'> & { weight: number })[]) {
    this.requests = requests.map((r) => ({
      method: r.method,
      path: r.path,
      bodyBytes: r.bodyBytes,
      body: r.bodyBytes > 0 ? Buffer.alloc(r.bodyBytes, 0x78) : null,
    }));
    this.weights = requests.map((r) => r.weight);
    this.credit = requests.map(() => 0);
    this.total = this.weights.reduce((s, w) => s + w, 0);
  }

  /** True when any request of the mix carries a body (its requests then say their content type). */
  get hasBodies(): boolean {
    return this.requests.some((r) => r.bodyBytes > 0);
  }

  /** The next request to send. */
  next(): MixRequest {
    return this.requests[this.nextIndex()];
  }

  /** The index (in `requests`) of the next request to send. */
  nextIndex(): number {
    let best = 0;
    for (let i = 0; i < this.credit.length; i++) {
      this.credit[i] += this.weights[i];
      if (this.credit[i] > this.credit[best]) best = i;
    }
    this.credit[best] -= this.total;
    return best;
  }
}
