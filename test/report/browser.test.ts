// Opens generated reports in a real headless Chromium (Debian package `chromium`; .ci/run installs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeReports } from '../../src/report/write-reports.ts';
import { audit } from '../../src/audit/audit.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { writeAuditReports } from '../../src/audit/render/write-audit.ts';
import { embeddedPriceBook } from '../../src/pricing/loader.ts';
import { samHttpApis } from '../support/sam-http.ts';
import { HOSTILE_DESCRIPTION, HOSTILE_NAME, hostileFixture, simulatedFixture } from './fixture.ts';

const CHROMIUM = process.env.DOWSIM_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser test needs Chromium at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (CI installs it in .ci/run)`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Watch {
  errors: string[];
  dialogs: string[];
  requests: string[];
}

async function open(file: string): Promise<{ page: Page; watch: Watch }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const watch: Watch = { errors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => {
    watch.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on('request', (r) => watch.requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, watch };
}

function writeHtml(doc: Parameters<typeof writeReports>[0]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dowsim-browser-'));
  const [path] = writeReports(doc, { outDir: dir, formats: ['html'] });
  return path;
}

describe('HTML report in Chromium', () => {
  it('renders its charts as non-empty SVGs with no console errors, and saves a screenshot', async () => {
    const file = writeHtml(simulatedFixture());
    const { page, watch } = await open(file);
    const charts = (await page.evaluate(`[...document.querySelectorAll('figure.chart svg')].map((s) => {
      const r = s.getBoundingClientRect();
      return { width: r.width, height: r.height, shapes: s.querySelectorAll('path, rect').length, texts: s.querySelectorAll('text').length };
    })`)) as { width: number; height: number; shapes: number; texts: number }[];
    expect(charts.length).toBeGreaterThanOrEqual(2);
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(300);
      expect(c.height).toBeGreaterThan(150);
      expect(c.shapes).toBeGreaterThan(10);
      expect(c.texts).toBeGreaterThan(3);
    }
    // the headline shows the document's figure, laid out and visible
    const big = page.locator('[data-figure="stacks.0.throttled.bill.perHour"]').first();
    await expect.poll(() => big.isVisible()).toBe(true);
    expect(watch.errors).toEqual([]);
    expect(watch.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  });

  it('shows hostile scenario text as text and runs nothing', async () => {
    const file = writeHtml(hostileFixture());
    const { page, watch } = await open(file);
    await page.mouse.move(300, 300);
    await page.waitForTimeout(200); // let any error handler or timer that slipped in fire
    expect(await page.locator('#scenario-name').textContent()).toBe(HOSTILE_NAME);
    expect(await page.locator('#scenario-description').textContent()).toBe(HOSTILE_DESCRIPTION);
    expect(await page.title()).toBe(`dowsim report: ${HOSTILE_NAME}`);
    // runs in the page (a string, so the Node-only tsconfig needs no DOM types)
    const state = await page.evaluate(`({
      pwned: window.__pwned,
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      stackHeading: document.querySelector('#stack-1 h2')?.firstChild?.textContent,
    })`);
    expect(state).toEqual({ pwned: undefined, scripts: 0, imgs: 0, handlers: 0, stackHeading: '<img src=x onerror="window.__pwned=1"> ' });
    expect(watch.dialogs).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(watch.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    await page.close();
  });
});

describe('audit HTML in Chromium', () => {
  it('names the attack each API is priced under (the flood of one route, or spread over them all), with no console errors', async () => {
    // two HTTP APIs behind a 100/200 stage throttle: Api with three public routes (the spread gets
    // 3 × 100 rps through: its risk), Solo with one (the flood of that route)
    const template = samHttpApis({ Api: ['/a', '/b', '/c'], Solo: ['/z'] });
    const doc = audit([readCloudFormation(template, '/repo/template.yaml')], { bookFor: embeddedPriceBook, now: new Date('2026-01-01T00:00:00Z') });
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-browser-'));
    const [file] = writeAuditReports(doc, dir, ['html'], '/repo');
    const { page, watch } = await open(file);
    const table = await page.evaluate(`(() => {
      const t = document.querySelectorAll('table')[0];
      const heads = [...t.querySelectorAll('th')].map((th) => th.textContent);
      const at = heads.indexOf('attack');
      return { heads, rows: [...t.querySelectorAll('tbody tr')].map((tr) => [tr.cells[0].textContent, tr.cells[at].textContent]) };
    })()`);
    expect(table).toEqual({
      heads: ['API', 'kind', 'stage', 'routes', 'API keys', 'usage plans', 'WAF', 'function', 'attack', 'risk $/h', 'unthrottled $/h'],
      rows: [
        ['Api', 'account-limit-spread'],
        ['Solo', 'account-limit-flood'],
      ],
    });
    expect(watch.errors).toEqual([]);
    await page.close();
  });
});
