import type { ResultDocument } from '../model/result.ts';
import { csvField } from './escape.ts';

export const DETECTION_CSV_COLUMNS = ['stack', 'variant', 'alarm', 'firesAtSeconds', 'fires', 'costBeforeUsd'] as const;

/**
 * Cost until detection as CSV (RFC 4180, CRLF): one row per stack × variant × alarm or budget.
 * `fires` says "yes" or "never" (firesAtSeconds is then empty and costBeforeUsd the horizon's
 * bill). undefined when no stack has alarms or budgets.
 */
export function renderDetectionCsv(doc: ResultDocument): string | undefined {
  const rows: unknown[][] = [];
  for (const s of doc.stacks) {
    for (const variant of ['throttled', 'unthrottled'] as const) {
      for (const d of s[variant].detection ?? []) {
        rows.push([s.name, variant, d.alarm, d.firesAtSeconds ?? '', d.firesAtSeconds === null ? 'never' : 'yes', d.costBeforeUsd]);
      }
    }
  }
  if (rows.length === 0) return undefined;
  return [[...DETECTION_CSV_COLUMNS], ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
