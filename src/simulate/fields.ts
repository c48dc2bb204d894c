import { OUTCOMES } from '../model/outcomes.ts';

/** The fields the engine accumulates per tick per lane (fluid counts), in this order in every Float64Array. */
export const FIELDS = ['offered', ...OUTCOMES, 'coldStarts', 'gbSeconds', 'initGbSeconds'] as const;
export type Field = (typeof FIELDS)[number];
export const NF = FIELDS.length;
export const IDX = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<Field, number>;
