/**
 * One colour per meaning, across every chart: "with throttling" is the same blue in the cost
 * comparison and the cumulative curves, an outcome has the same colour in every traffic chart, a
 * service keeps its colour whatever order the bills list it in — and no colour means two things.
 */
import type { Outcome } from '../model/outcomes.ts';

export const WITH_COLOR = '#3b72c4';
export const WITHOUT_COLOR = '#c44a4a';
export const OFFERED_COLOR = '#222222';
export const COLLATERAL_COLOR = '#555555';

export const OUTCOME_COLORS: Record<Outcome, string> = {
  succeeded: '#2e9d57',
  failed: '#d9822b',
  timedOut: '#8c564b',
  lambdaThrottled: '#e8b320',
  gatewayThrottled: '#9467bd',
  quotaExceeded: '#e377c2',
  authRejected: '#8a8f98',
  wafBlocked: '#1c9aa0',
};

const SERVICE_COLORS: Record<string, string> = {
  'API Gateway': '#17becf',
  Lambda: '#bcbd22',
  WAF: '#0b5d63',
  'CloudWatch Logs': '#c7a27c',
  'Data transfer': '#5c5c5c',
  CloudWatch: '#c49c94',
};
const SPARE = ['#7f6df2', '#9edae5', '#dbdb8d', '#f7b6d2'];

/** A service's colour: fixed for the services dowsim bills, stable by name for any other. */
export function serviceColor(service: string): string {
  const known = SERVICE_COLORS[service];
  if (known) return known;
  let h = 0;
  for (const ch of service) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return SPARE[h % SPARE.length];
}
