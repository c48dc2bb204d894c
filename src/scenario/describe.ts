import { formatDuration } from '../model/units.ts';
import { shapeOf } from './shapes/index.ts';
import type { Cohort } from './types.ts';

/**
 * One human line for a cohort:
 * `bots (attack, 2,000 clients, new IPs every 5m): 0 rps for 5m, then ramp 0→5,000 rps over 1m, then 5,000 rps for 54m`
 */
export function describeCohort(cohort: Cohort): string {
  const traits: string[] = [
    cohort.role,
    `${cohort.clients.toLocaleString('en-US')} client${cohort.clients === 1 ? '' : 's'}`,
  ];
  if (cohort.rotate !== undefined) traits.push(`new IPs every ${formatDuration(cohort.rotate)}`);
  if (cohort.forgeForwardedFor) traits.push('forged X-Forwarded-For');
  if (cohort.requests.length > 1) traits.push(`mix of ${describeMix(cohort)}`);
  else if (cohort.requests[0].bodyBytes > 0) traits.push(`${formatBytes(cohort.requests[0].bodyBytes)} bodies`);
  if (cohort.apiKey === 'invalid') traits.push('invalid API keys');
  else if (cohort.apiKey !== 'none') traits.push(`API keys of plan "${cohort.apiKey}"`);
  const shapes = cohort.rate.map((seg) => shapeOf(seg).describe(seg)).join(', then ');
  return `${cohort.name} (${traits.join(', ')}): ${shapes}`;
}

/** "80% GET /items, 20% POST /orders (2 kB bodies)" */
function describeMix(cohort: Cohort): string {
  const total = cohort.requests.reduce((s, r) => s + r.weight, 0);
  return cohort.requests
    .map((r) => {
      const share = ((100 * r.weight) / total).toLocaleString('en-US', { maximumFractionDigits: 1 });
      return `${share}% ${r.method} ${r.path}${r.bodyBytes > 0 ? ` (${formatBytes(r.bodyBytes)} bodies)` : ''}`;
    })
    .join(', ');
}

/** 1200000 → "1.2 MB" (decimal units, as people say them). */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]] as const) {
    if (bytes >= size) return `${(bytes / size).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${unit}`;
  }
  return `${bytes} bytes`;
}
