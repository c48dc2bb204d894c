import type { Change } from './dimension.ts';
import type { TuneDocument } from './document.ts';

/** "api.stage.rate: none → 120" */
export function formatChange(c: Change): string {
  return `${c.path}: ${c.from ?? 'none'} → ${c.to ?? 'none'}`;
}

/** A success share with enough digits to tell 99.9 % from 99.95 % ("99.950%"). */
export function formatSuccess(share: number): string {
  return `${(share * 100).toFixed(3)}%`;
}

/**
 * Why the answer changes nothing: the stack as given is the cheapest that meets the SLO, or (no
 * configuration meets it) none of those searched comes closer to it.
 */
export function noChange(doc: Pick<TuneDocument, 'best'>): string {
  return doc.best ? 'the stack as given is already the cheapest that meets the SLO' : 'no configuration searched comes closer to the SLO than the stack as given';
}
