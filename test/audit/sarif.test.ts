/**
 * The SARIF output passes Microsoft's own SARIF validator (npm @microsoft/sarif-multitool,
 * `validate` verb) with no errors, and carries what GitHub code scanning needs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.ts';
import { prefetchSources, readSource } from '../../src/audit/read/source.ts';
import { renderSarif } from '../../src/audit/render/sarif.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { at } from './corpus-sources.ts';

const MULTITOOL = fileURLToPath(new URL('../../node_modules/.bin/sarif-multitool', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = [at('sam-translator/function_with_function_url_config.input.yaml'), at('terraform/hashicorp-learn-lambda-api-gateway'), at('cdk/apilam-deployFunction.template.json')];

let sarif: string;
let dir: string;
beforeAll(() => {
  prefetchSources(SOURCES);
  const doc = audit(SOURCES.map(readSource), { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
  sarif = renderSarif(doc, REPO);
  dir = mkdtempSync(join(tmpdir(), 'dowsim-sarif-'));
  writeFileSync(join(dir, 'audit.sarif'), sarif);
}, 120_000);

describe('SARIF 2.1.0', () => {
  it("passes the SARIF multitool's validate verb with no errors", () => {
    const log = join(dir, 'validation.sarif');
    execFileSync(MULTITOOL, ['validate', join(dir, 'audit.sarif'), '--output', log, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
    const results = (JSON.parse(readFileSync(log, 'utf8')) as { runs: { results?: { level?: string; ruleId: string }[] }[] }).runs.flatMap((r) => r.results ?? []);
    // the validator's own results are its verdict: errors would fail code scanning uploads
    expect(results.filter((r) => r.level === 'error')).toEqual([]);
  }, 180_000);

  it('has every rule with help, every result with a repository-relative file, a start line and a partial fingerprint', () => {
    const s = JSON.parse(sarif);
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('DOW102');
    for (const r of run.tool.driver.rules) expect(r.help.text.length).toBeGreaterThan(40);
    expect(run.results.length).toBeGreaterThan(5);
    for (const res of run.results) {
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/^test\/fixtures\/iac-corpus\//);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(Object.values(res.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    }
    // the function URL with AuthType NONE is found at its FunctionUrlConfig (line 13 of the input)
    const url = run.results.find((r: { ruleId: string }) => r.ruleId === 'DOW102');
    expect(url.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'test/fixtures/iac-corpus/sam-translator/function_with_function_url_config.input.yaml' }, region: { startLine: 13 } });
  });
});
