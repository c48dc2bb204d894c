import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultDocument } from '../../src/model/result.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'dowsim-mixed-'));
const STACK = join(dir, 'orders.yaml');
const SCENARIO = join(dir, 'shop.yaml');
// INIT 0 keeps GB-s = invocations × duration × memory, a hand computation per function
writeFileSync(
  STACK,
  `name: orders
api:
  kind: http
  routes:
    "GET /items": {}
    "POST /orders": { function: orders }
lambda: { memoryMb: 512, duration: 100ms, initDuration: 0 }
functions:
  - { name: orders, memoryMb: 2048, architecture: arm64, duration: 300ms, initDuration: 0 }
`,
);
writeFileSync(
  SCENARIO,
  `name: shop
cohorts:
  - name: users
    role: legit
    clients: 10
    requests:
      - { method: GET, path: /items, weight: 3 }
      - { method: POST, path: /orders, bodyBytes: 100, weight: 1 }
    rate: [{ duration: 10s, rate: 40 }]
`,
);

describe('dowsim run on the emulator: a two-function stack and a mixed scenario', () => {
  it('routes 3:1 of 400 requests to two functions and bills each its own GB-seconds', async () => {
    const r = await runCli(['run', SCENARIO, '--stack', STACK, '--json', '--horizon', '10s'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ResultDocument;
    const routes = doc.server!.routes!;
    const items = routes['GET /items'];
    const orders = routes['POST /orders'];
    // 40 rps × 10 s = 400 requests due (a loaded machine may drop some: they are never sent), the
    // sent ones interleaved 3:1 → GET = 3 × POST within one turn of the mix
    expect(items.offered + orders.offered).toBeGreaterThan(200);
    expect(Math.abs(items.offered - 3 * orders.offered)).toBeLessThanOrEqual(4);
    expect(items.succeeded).toBe(items.offered);
    expect(orders.succeeded).toBe(orders.offered);
    // GET on 512 MB × 0.1 s = 0.05 GB-s each; POST on 2 GB × 0.3 s = 0.6 GB-s each — within 12 %
    expect(Math.abs(items.gbSeconds - items.invoked * 0.05) / (items.invoked * 0.05)).toBeLessThan(0.12);
    expect(Math.abs(orders.gbSeconds - orders.invoked * 0.6) / (orders.invoked * 0.6)).toBeLessThan(0.12);
    // the bill prices each architecture apart
    const lines = doc.stacks[0].throttled.bill.lines;
    expect(lines.some((l) => l.item.startsWith('Lambda duration (x86_64)'))).toBe(true);
    const arm = lines.find((l) => l.item.startsWith('Lambda duration (arm64)'))!;
    expect(Math.abs(arm.quantity - orders.invoked * 0.6) / (orders.invoked * 0.6)).toBeLessThan(0.12);
    expect(doc.stacks[0].throttled.routes!['POST /orders'].invoked).toBe(orders.invoked);
  }, 130_000);
});
