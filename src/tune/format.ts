import type { Change } from './dimension.ts';

/** "api.stage.rate: none → 120" */
export function formatChange(c: Change): string {
  return `${c.path}: ${c.from ?? 'none'} → ${c.to ?? 'none'}`;
}

/** A success share with enough digits to tell 99.9 % from 99.95 % ("99.950%"). */
export function formatSuccess(share: number): string {
  return `${(share * 100).toFixed(3)}%`;
}
