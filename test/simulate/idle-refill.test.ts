import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/parse.ts';
import { parseStack } from '../../src/stack/parse.ts';
import { simulate } from '../../src/simulate/engine.ts';
import { timelineTotals } from '../../src/model/timeline.ts';

// A bucket nobody sends to refills like any other (API Gateway's token bucket: `rate` tokens a
// second up to `burst`). Two minutes repeated twice: 100 rps for 1 min, then 1 min of silence, at
// which the bucket (rate 5, burst 10) is full again. Each flood minute passes, by hand, the full
// bucket plus the refill in its first second (10 + 5 = 15; arrivals spread over the second) and
// then 5 a second for 59 s: 15 + 59 × 5 = 310. Two flood minutes: 620. (Were the idle bucket's
// refill lost while the silence is fast-forwarded, the second minute would pass 5 + 59 × 5 = 300.)
const FLOOD_PAUSE = (extra: string) =>
  parseScenario(
    `name: flood-pause
cohorts:
  - name: bots
    role: attack
    clients: 1
    ${extra}
    request: { method: POST, path: /upload }
    rate: [ { duration: 1m, rate: 100 }, { duration: 1m, rate: 0 } ]
`,
    'flood-pause.yaml',
  );

const ROUTE = parseStack(`name: route-throttled
api:
  kind: http
  routes:
    "POST /upload": { rate: 5, burst: 10 }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
`);

const KEYED = parseStack(`name: keyed
api:
  kind: rest
  apiKeyRequired: true
  usagePlans:
    - { name: basic, throttle: { rate: 5, burst: 10 } }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
`);

describe('an idle bucket refills while the simulator fast-forwards a silence', () => {
  for (const adaptive of [true, false]) {
    it(`a route throttle passes 2 × (10 + 5 × 60) = 620 over two flood minutes (${adaptive ? 'long steps' : 'one-second ticks'})`, () => {
      const t = timelineTotals(simulate(FLOOD_PAUSE(''), ROUTE, { horizonSeconds: 240, adaptive }));
      expect(t.offered).toBe(12_000);
      expect(t.succeeded).toBe(620);
      expect(t.gatewayThrottled).toBe(12_000 - 620);
    });

    it(`a usage-plan throttle passes the same 620 (${adaptive ? 'long steps' : 'one-second ticks'})`, () => {
      const t = timelineTotals(simulate(FLOOD_PAUSE('apiKey: basic'), KEYED, { horizonSeconds: 240, adaptive }));
      expect(t.offered).toBe(12_000);
      expect(t.succeeded).toBe(620);
      expect(t.gatewayThrottled).toBe(12_000 - 620);
    });
  }
});
