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
  if (cohort.request.bodyBytes > 0) traits.push(`${formatBytes(cohort.request.bodyBytes)} bodies`);
  if (cohort.apiKey === 'invalid') traits.push('invalid API keys');
  else if (cohort.apiKey !== 'none') traits.push(`API keys of plan "${cohort.apiKey}"`);
  const shapes = cohort.rate.map((seg) => shapeOf(seg).describe(seg)).join(', then ');
  return `${cohort.name} (${traits.join(', ')}): ${shapes}`;
}

/** 1200000 → "1.2 MB" (decimal units, as people say them). */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GB', 1e9], ['MB', 1e6], ['kB', 1e3]] as const) {
    if (bytes >= size) return `${(bytes / size).toLocaleString('en-US', { maximumFractionDigits: 2 })} ${unit}`;
  }
  return `${bytes} bytes`;
}
