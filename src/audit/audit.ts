/**
 * The audit: resource models → one derived stack per API, priced under an attack → rules →
 * the `dowsim.audit/1` document. Pure: prices come in through `bookFor`, the clock through `now`.
 */
import { InputError } from '../model/errors.ts';
import type { PriceBook } from '../pricing/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { priceVariant } from '../cost/stack-result.ts';
import { simulate } from '../simulate/engine.ts';
import { detectionBucketSeconds, detectionFor } from '../detect/detection.ts';
import type { Detection } from '../model/result.ts';
import { chooseBucketSeconds } from '../model/timeline.ts';
import type { Stack } from '../stack/types.ts';
import { checkScenarioAgainstStack } from '../stack/compat.ts';
import { standardScenarios } from './attack-scenario.ts';
import { AUDIT_SCHEMA, SEVERITIES, type AuditDocument, type Finding } from './document.ts';
import type { Assumption, AuditModel } from './model.ts';
import { RULES } from './rules/index.ts';
import { toFinding, type PricedStack, type RuleContext } from './rules/rule.ts';
import { deriveStack, type DerivedStack } from './stack-document.ts';

/** One hour of attack is enough for a $/hour figure (and keeps an audit fast). */
export const AUDIT_HORIZON_SECONDS = 3600;

export interface AuditOptions {
  /** Scenarios to price under (the worst counts); default: the standard account-limit flood per API. */
  scenarios?: Scenario[];
  bookFor: (region: string) => PriceBook;
  now?: Date;
}

interface Pricing {
  /** The attacks an API was priced under: a fix is priced under the worst of them again (it may change which is worst). */
  scenariosFor: Map<PricedStack, Scenario[]>;
  book: (region: string) => PriceBook;
}

/** $/hour of the stack under the scenario, with its API Gateway throttles (or without them). */
function perHour(scenario: Scenario, stack: Stack, book: PriceBook, throttled: boolean): number {
  const timeline = simulate(scenario, stack, { horizonSeconds: AUDIT_HORIZON_SECONDS, throttled });
  return priceVariant(timeline, stack, book, AUDIT_HORIZON_SECONDS).bill.perHour;
}

/** When each alarm and budget of the stack fires under the scenario, as configured (none: an empty list). */
function detectUnder(scenario: Scenario, stack: Stack, book: PriceBook): Detection[] {
  if (!stack.alarms?.length && !stack.budgets?.length) return [];
  // alarm periods need buckets no coarser than themselves (as `simulate` does)
  const bucketSeconds = detectionBucketSeconds(stack, chooseBucketSeconds(AUDIT_HORIZON_SECONDS), AUDIT_HORIZON_SECONDS);
  const timeline = simulate(scenario, stack, { horizonSeconds: AUDIT_HORIZON_SECONDS, throttled: true, bucketSeconds });
  return detectionFor(timeline, stack, book, priceVariant(timeline, stack, book, AUDIT_HORIZON_SECONDS).bill.total);
}

function priceUnder(scenario: Scenario, stack: Stack, book: PriceBook): { throttled: number; unthrottled: number } {
  return { throttled: perHour(scenario, stack, book, true), unthrottled: perHour(scenario, stack, book, false) };
}

/** Derives and prices every API's stack; an API the stack format cannot hold becomes an assumption. */
function priceStacks(model: AuditModel, opts: AuditOptions, pricing: Pricing, assumptions: Assumption[]): PricedStack[] {
  const out: PricedStack[] = [];
  for (const api of model.apis) {
    let derived: DerivedStack;
    try {
      derived = deriveStack(model, api);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      assumptions.push({ ...api.loc, message: `${api.id} cannot be modelled as a stack (${e.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}); it is not priced` });
      continue;
    }
    assumptions.push(...derived.assumptions);
    const book = pricing.book(derived.stack.region);
    const candidates = opts.scenarios?.length ? opts.scenarios : standardScenarios(derived.stack, api);
    let worst: { scenario: Scenario; perHour: { throttled: number; unthrottled: number } } | undefined;
    for (const scenario of candidates) {
      // a user's scenario aimed at paths this API does not have prices nothing: say so beside the figure
      if (opts.scenarios?.length) for (const w of checkScenarioAgainstStack(scenario, derived.stack)) assumptions.push({ ...api.loc, message: `scenario ${scenario.name}: ${w}` });
      const perHour = priceUnder(scenario, derived.stack, book);
      // a tie keeps the first, the simpler attack: to a part in 10⁶, as a mix's shares round to
      // whole requests per route (an open API's spread and single-route floods differ by 2 in 36 M)
      if (!worst || perHour.throttled > worst.perHour.throttled * (1 + 1e-6)) worst = { scenario, perHour };
    }
    const detection = detectUnder(worst!.scenario, derived.stack, book);
    const priced: PricedStack = { ...derived, scenario: worst!.scenario.name, perHour: worst!.perHour, detection };
    pricing.scenariosFor.set(priced, candidates);
    out.push(priced);
  }
  return out;
}

const SEVERITY_ORDER = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

/** Audits the resource models read from the user's sources. */
export function audit(models: AuditModel[], opts: AuditOptions): AuditDocument {
  const books = new Map<string, PriceBook>();
  const book = (region: string) => books.get(region) ?? (books.set(region, opts.bookFor(region)), books.get(region)!);
  const pricing: Pricing = { scenariosFor: new Map(), book };
  const assumptions: Assumption[] = [];
  const findings: Finding[] = [];
  const stacks: AuditDocument['stacks'] = [];
  for (const model of models) {
    assumptions.push(...model.assumptions);
    const priced = priceStacks(model, opts, pricing, assumptions);
    const ctx: RuleContext = {
      model,
      stacks: priced,
      // the worst of the same attacks: a stage throttle that holds a flood of one route lets a
      // spread over every route through once per route (AWS applies it per method)
      price: (p, stack) => Math.max(...pricing.scenariosFor.get(p)!.map((s) => perHour(s, stack, book(stack.region), true))),
    };
    for (const rule of RULES) findings.push(...rule.check(ctx).map((f) => toFinding(rule, f)));
    for (const p of priced) {
      stacks.push({
        name: p.stack.name,
        source: { file: p.api.loc.file, resource: p.api.id, line: p.api.loc.line },
        stack: p.document,
        risk: { scenario: p.scenario, horizonSeconds: AUDIT_HORIZON_SECONDS, perHour: p.perHour, ...(p.detection.length ? { detection: p.detection } : {}) },
      });
    }
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
  const first = book(models[0]?.region ?? 'us-east-1');
  return {
    schema: AUDIT_SCHEMA,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    sources: models.map((m) => ({ path: m.source, format: m.format })),
    prices: { region: first.region, asOf: first.asOf, source: first.source },
    stacks,
    findings,
    assumptions,
  };
}
