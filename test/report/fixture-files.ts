// The sample result documents under test/fixtures/results/, each made by a builder in fixture.ts.
// Regenerate with: npx tsx test/report/fixture-files.ts --write
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderJson } from '../../src/report/json.ts';
import type { ResultDocument } from '../../src/model/result.ts';
import { hostileFixture, liveFixture, simulatedFixture } from './fixture.ts';

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/results/', import.meta.url));

export const FIXTURE_FILES: Record<string, () => ResultDocument> = {
  'three-stacks-simulated.json': () => simulatedFixture(),
  'live-emulator-run.json': () => liveFixture(),
  'hostile-scenario.json': () => hostileFixture(),
};

if (process.argv.includes('--write')) {
  for (const [name, build] of Object.entries(FIXTURE_FILES)) writeFileSync(FIXTURE_DIR + name, renderJson(build()));
}
