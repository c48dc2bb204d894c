import type { Stack, Throttle } from '../stack/types.ts';
import { formatDuration } from '../model/units.ts';

const t = (x: Throttle) => `${x.rate.toLocaleString('en-US')} rps burst ${x.burst.toLocaleString('en-US')}`;

/** One human line of the limits the emulator enforces for a stack (printed by `dowsim emulate`). */
export function describeEnforced(stack: Stack): string {
  const api = stack.api;
  const parts: string[] = [];
  if (api.kind === 'function-url') {
    const concurrency = stack.lambda.reservedConcurrency ?? stack.lambda.accountConcurrency;
    parts.push(`function URL (no gateway; at most ${(10 * concurrency).toLocaleString('en-US')} rps, 10 × concurrency)`);
  } else {
    parts.push(`${api.kind === 'rest' ? 'REST' : 'HTTP'} API`);
    parts.push(`account ${t(api.account)}`);
    const routes = Object.keys(api.routes).length;
    // AWS applies the stage's throttle per method: with routes declared, each route has its own
    if (api.stage) parts.push(`stage ${t(api.stage)}${routes > 1 ? ' per route' : ''}`);
    if (routes > 0) parts.push(`${routes} route${routes === 1 ? '' : 's'} (others ${api.kind === 'rest' ? '403' : '404'})`);
    if (api.kind === 'rest' && api.apiKeyRequired) {
      const plans = api.usagePlans.map((p) => {
        const bits = [
          p.throttle ? t(p.throttle) : undefined,
          p.quota ? `${p.quota.limit.toLocaleString('en-US')}/${p.quota.period}` : undefined,
          ...Object.entries(p.routes ?? {}).map(([route, x]) => `${route} ${t(x)} per key`),
        ].filter(Boolean);
        return bits.length > 0 ? `${p.name} (${bits.join(', ')})` : p.name;
      });
      parts.push(`API key required${plans.length > 0 ? `, usage plans ${plans.join('; ')}` : ''}`);
    }
    if (api.kind === 'rest' && stack.waf?.rateLimit) {
      const r = stack.waf.rateLimit;
      parts.push(`WAF ${r.limit.toLocaleString('en-US')} per ${formatDuration(r.windowSeconds)} per ${r.key} (after ${formatDuration(r.delaySeconds)})`);
    }
  }
  const l = stack.lambda;
  const conc = l.reservedConcurrency !== undefined ? `reserved concurrency ${l.reservedConcurrency}` : `concurrency ${l.accountConcurrency}`;
  const dur = l.duration.p50 === l.duration.p99 ? formatDuration(l.duration.p50) : `${formatDuration(l.duration.p50)} p50 / ${formatDuration(l.duration.p99)} p99`;
  parts.push(`Lambda ${l.memoryMb} MB, ${conc}, ${dur}, init ${formatDuration(l.initDuration)}, timeout ${formatDuration(l.timeout)}`);
  for (const f of stack.functions ?? []) {
    const routes = Object.entries(api.routeFunctions ?? {}).filter(([, name]) => name === f.name).map(([key]) => key);
    const fd = f.duration.p50 === f.duration.p99 ? formatDuration(f.duration.p50) : `${formatDuration(f.duration.p50)} p50 / ${formatDuration(f.duration.p99)} p99`;
    const fc = f.reservedConcurrency !== undefined ? `, reserved concurrency ${f.reservedConcurrency}` : '';
    parts.push(`function ${f.name} ${f.memoryMb} MB ${f.architecture}${fc}, ${fd} (${routes.join(', ') || 'no route'})`);
  }
  return parts.join(' · ');
}
