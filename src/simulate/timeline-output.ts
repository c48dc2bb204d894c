import type { Cohort } from '../scenario/types.ts';
import type { Stack } from '../stack/types.ts';
import type { Timeline } from '../model/timeline.ts';
import { addWholeTotals, emptyTotals, sumTotals, type Totals } from '../model/totals.ts';
import { billableUnits } from '../model/metering.ts';
import { CountRounder } from './rounding.ts';
import { responseBytesByOutcome } from './response-bytes.ts';
import { NF } from './fields.ts';
import type { Lane } from './lanes.ts';

/** The lanes' fluid bucket counts, rounded to whole requests, as the timeline of each cohort and each route. */
export function timelineOf(stack: Stack, cohorts: Cohort[], lanes: Lane[], shape: { H: number; bucketSeconds: number; nb: number }): Timeline {
  const { nb } = shape;
  const rounded = lanes.map((r) => {
    const rounder = new CountRounder(billableUnits(stack.api.kind, r.bodyBytes, stack.responseBytes), responseBytesByOutcome(stack, { unknownRoute: !r.routed }));
    const out: Totals[] = new Array(nb);
    for (let b = 0; b < nb; b++) out[b] = rounder.round(r.buckets, b * NF);
    return out;
  });
  return {
    source: 'simulated',
    durationSeconds: shape.H,
    bucketSeconds: shape.bucketSeconds,
    cohorts: cohorts.map((cohort, ci) => {
      const own = rounded.filter((_, l) => lanes[l].cohortIndex === ci);
      const buckets = own.length === 1 ? own[0] : Array.from({ length: nb }, (_, b) => sumTotals(own.map((l) => l[b])));
      return { name: cohort.name, role: cohort.role, buckets };
    }),
    routes: routeTotals(lanes, rounded),
  };
}

/** Whole-run totals per route key, summed over the lanes that went through it. */
function routeTotals(lanes: Lane[], rounded: Totals[][]): Record<string, Totals> {
  const routes: Record<string, Totals> = {};
  lanes.forEach((lane, l) => {
    const t = (routes[lane.routeKey] ??= emptyTotals());
    // key by key, buckets in order: the same sums as addTotals bucket by bucket, without its checks
    for (const b of rounded[l]) addWholeTotals(t, b);
  });
  return routes;
}
