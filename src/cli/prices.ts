import type { Command } from 'commander';
import { InputError, RuntimeError } from '../model/errors.ts';
import { loadPriceBookWithWarnings, priceBookCachePath, tierLabel } from '../pricing/loader.ts';
import type { RefreshResult } from '../pricing/refresh.ts';
import { AWS_REGIONS, isKnownRegion, isRegionCode } from '../pricing/region-code.ts';
import type { Price, PriceBook, PriceKey } from '../pricing/types.ts';
import { PRICE_KEYS } from '../pricing/validate.ts';

interface PricesFlags {
  region: string;
  refresh?: boolean;
  endpointUrl?: string;
  profile?: string;
  json?: boolean;
}

const LABELS: Record<PriceKey, string> = {
  apiGatewayRestRequest: 'API Gateway REST API requests',
  apiGatewayHttpRequest: 'API Gateway HTTP API requests',
  lambdaRequest: 'Lambda requests',
  lambdaGbSecondX86: 'Lambda duration, x86_64',
  lambdaGbSecondArm: 'Lambda duration, arm64',
  wafWebAcl: 'WAF web ACL',
  wafRule: 'WAF rule',
  wafRequest: 'WAF requests inspected',
  logsIngestionGb: 'CloudWatch Logs ingestion',
  dataTransferOutGb: 'Data transfer out to the internet',
  getMetricDataMetric: 'CloudWatch GetMetricData',
};

/** "$3.50 per 1M requests", "$0.0000166667 per GB-s", "$5.00 per web ACL-month". */
function formatUnitPrice(unit: string, price: number): string {
  if (unit === 'request') return `$${money(price * 1e6)} per 1M requests`;
  if (unit === 'metric') return `$${money(price * 1e3)} per 1,000 metrics`;
  if (unit === 'GB-second') return `$${money(price)} per GB-s`;
  return `$${money(price)} per ${unit}`;
}

/** Dollars with cents at least ("3.50", "0.085", "0.0000166667"), float noise trimmed. */
function money(n: number): string {
  const s = String(+n.toFixed(10));
  if (!s.includes('.')) return `${s}.00`;
  return /\.\d$/.test(s) ? `${s}0` : s;
}

function priceOrigin(book: PriceBook, key: PriceKey): 'pricing-api' | 'embedded' {
  return book.source === 'pricing-api' && !(book.embeddedFallbacks ?? []).includes(key) ? 'pricing-api' : 'embedded';
}

/** The book as text: one block per price (tiers, where it comes from, when it was checked). */
export function formatPriceBook(book: PriceBook, cacheFile?: string): string {
  const lines = [
    `Price book for ${book.region}: ${book.source}, as of ${book.asOf}${cacheFile ? ` (${cacheFile})` : ' (embedded in dowsim)'}`,
  ];
  for (const key of PRICE_KEYS) {
    const p: Price = book.prices[key];
    const tiers = p.tiers.map((t, i) => {
      const label = tierLabel(p, i);
      return `${label ? `${label}: ` : ''}${formatUnitPrice(p.unit, t.price)}`;
    });
    lines.push('', `${LABELS[key]}  [${priceOrigin(book, key)}, ${p.asOf}]`, `  ${tiers.join(' · ')}`, `  source: ${p.source}`);
  }
  return lines.join('\n');
}

function formatRefresh(r: RefreshResult): string {
  const lines = [
    r.refreshed.length > 0
      ? `Refreshed ${r.refreshed.length} of ${PRICE_KEYS.length} prices from the AWS Price List API: ${r.refreshed.join(', ')}.`
      : 'No price was refreshed.',
  ];
  if (r.embedded.length > 0) lines.push(`Stayed embedded: ${r.embedded.join(', ')}.`);
  lines.push(r.cacheFile ? `Cached in ${r.cacheFile}; every later command bills with it.` : 'The cache was not written.');
  return lines.join('\n');
}

export async function runPrices(flags: PricesFlags): Promise<void> {
  const region = flags.region;
  if (!isRegionCode(region)) {
    throw new InputError([{ path: '--region', message: `"${region}" is not an AWS Region code (like us-east-1 or eu-west-1)` }]);
  }
  if (!isKnownRegion(region)) {
    const prefix = region.split('-')[0];
    const near = AWS_REGIONS.filter((r) => r.startsWith(`${prefix}-`));
    throw new InputError([
      { path: '--region', message: `"${region}" is not an AWS Region${near.length ? `; ${prefix}- Regions are ${near.join(', ')}` : ' (like us-east-1 or eu-west-1)'}` },
    ]);
  }
  if (flags.endpointUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(flags.endpointUrl)) {
    throw new InputError([{ path: '--endpoint-url', message: `expected an http(s) URL, not "${flags.endpointUrl}"` }]);
  }
  if (!flags.refresh && (flags.endpointUrl !== undefined || flags.profile !== undefined)) {
    throw new InputError([{ path: flags.endpointUrl !== undefined ? '--endpoint-url' : '--profile', message: 'only used with --refresh' }]);
  }
  const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);

  if (!flags.refresh) {
    const { book, warnings } = loadPriceBookWithWarnings(region);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const cacheFile = book.source === 'pricing-api' ? priceBookCachePath(region) : undefined;
    out(flags.json ? JSON.stringify({ region, cacheFile: cacheFile ?? null, book }, null, 2) : formatPriceBook(book, cacheFile));
    return;
  }

  let result: RefreshResult;
  try {
    // the AWS SDK loads only when a refresh needs it
    const { refreshPriceBook } = await import('../pricing/refresh.ts');
    result = await refreshPriceBook(region, {
      endpointUrl: flags.endpointUrl,
      profile: flags.profile,
      onProgress: flags.json ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    if (!(err instanceof RuntimeError)) throw err;
    const { book } = loadPriceBookWithWarnings(region);
    throw new RuntimeError(
      `${err.message}\nPrices not refreshed; dowsim keeps billing with the ${book.source} price book for ${region} (as of ${book.asOf}).`,
      { cause: err },
    );
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  if (flags.json) {
    out(
      JSON.stringify(
        { region, cacheFile: result.cacheFile ?? null, book: result.book, refresh: { refreshed: result.refreshed, embedded: result.embedded, warnings: result.warnings } },
        null,
        2,
      ),
    );
  } else {
    out(`${formatRefresh(result)}\n\n${formatPriceBook(result.book, result.cacheFile)}`);
  }
  if (result.refreshed.length === 0) {
    throw new RuntimeError(`the Price List API returned none of the prices dowsim needs for ${region}; the embedded price book stays in use.`);
  }
}

export function registerPricesCommand(program: Command): void {
  const cmd = program
    .command('prices')
    .summary('show the price book in use, or refresh it from the AWS Price List API')
    .description(
      'Prints every price dowsim bills with for --region: its tiers, where the\n' +
        'figure comes from and when it was checked: the embedded book, or the one\n' +
        'a refresh cached. With --refresh, fetches current prices through the AWS\n' +
        'Price List API (GetProducts; needs credentials allowed pricing:GetProducts),\n' +
        'caches them under $XDG_CACHE_HOME/dowsim/ (default ~/.cache/dowsim/) and says\n' +
        'what was refreshed and what stayed embedded. Every later result then says\n' +
        'prices.source "pricing-api" and its asOf. Without credentials or network the\n' +
        'embedded book stays in use (exit 2).',
    )
    .option('--region <region>', 'AWS Region whose prices to show or refresh', 'us-east-1')
    .option('--refresh', 'fetch current prices from the Price List API and cache them')
    .option('--endpoint-url <url>', 'Price List endpoint (default: AWS_ENDPOINT_URL_PRICING, else AWS\'s in us-east-1)')
    .option('--profile <name>', 'AWS profile from ~/.aws/config (default: AWS_PROFILE, else the default chain)')
    .option('--json', 'print { region, cacheFile, book, refresh? } as JSON on stdout and nothing else');
  cmd.addHelpText(
    'after',
    '\nExamples:\n' +
      '  dowsim prices\n' +
      '  dowsim prices --refresh --region eu-west-1\n' +
      'Exit codes: 0 ok, 1 bad flags, 2 the refresh failed (no credentials, no network, nothing found).\n',
  );
  cmd.action(async (flags: PricesFlags) => runPrices(flags));
}
