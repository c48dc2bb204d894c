/** The tune bench's cases: a scenario set and the stack to tune against it; `exhaustive`: `tune --exhaustive` (every combination simulated). */
export const TUNE_CASES: { name: string; scenarios: string[]; stack: string; exhaustive?: boolean }[] = [
  { name: '10-min fixed-IP flood, REST open', scenarios: ['test/tune/fixtures/fixed-ip-flood.yaml'], stack: 'test/tune/fixtures/rest-open.yaml' },
  { name: '5-min sticky route flood, REST open', scenarios: ['test/tune/fixtures/sticky-route-flood.yaml'], stack: 'test/tune/fixtures/rest-open.yaml' },
  // botnet-flood lasts 1 h but its users follow a 24 h curve: tune judges it over the whole day
  { name: 'botnet-flood (judged over 24 h) + leech (1 h), rest-unprotected', scenarios: ['botnet-flood', 'leech'], stack: 'rest-unprotected' },
  // the same on a stack that has a WAF rate rule already: every candidate keeps one, and each
  // 60-s tick judges every key's requests second by second against its window
  { name: 'botnet-flood (24 h) + leech (1 h), rest-waf (WAF rate rule in place)', scenarios: ['botnet-flood', 'leech'], stack: 'rest-waf' },
  // every combination of the ladders simulated, none settled otherwise: the simulator as the inner loop alone
  { name: '10-min fixed-IP flood, REST open, --exhaustive (31 × 43 × 9)', scenarios: ['test/tune/fixtures/fixed-ip-flood.yaml'], stack: 'test/tune/fixtures/rest-open.yaml', exhaustive: true },
  { name: '10-min rotating-IP route flood, REST open, --exhaustive (31 × 36 × 10)', scenarios: ['test/tune/fixtures/rotating-route-flood.yaml'], stack: 'test/tune/fixtures/rest-open.yaml', exhaustive: true },
];
