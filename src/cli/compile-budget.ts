import { setFlagsFromString } from 'node:v8';

/**
 * Commands that simulate (`simulate`, `compare`, `tune`) finish in well under a second to a few
 * seconds, and most of a first simulation's CPU went to V8's optimising compiler, not to the
 * simulation: measured on the 10-stack 30-day bench, two thirds of a fresh process's CPU was the
 * compiler threads building large graphs of inlined calls (~0.25 s of ~0.4 s). A smaller inlining
 * budget roughly halves that while warm passes run as fast (0.04–0.09 s either way), and a later
 * tier-up (a larger interrupt budget) spares optimising what runs only for a while: medians of
 * same-time A/B runs, the bench's first pass 0.435 → 0.371 s CPU; tune's fixed-IP bench case
 * 330–430 → 520–640 candidates per CPU-second on first runs (its other cases within the noise);
 * `compare` and `tune` runs of a few seconds unchanged. So these
 * commands ask for both. Commands that serve or send traffic (`emulate`, `run`) keep V8's defaults:
 * they run for minutes on one hot path per request, where full inlining pays for itself.
 * Only how V8 compiles changes, never what dowsim computes.
 */
export const SHORT_RUN_COMMANDS: ReadonlySet<string> = new Set(['simulate', 'compare', 'tune']);

/** V8's cumulative inlining budget per optimised function, in bytecode bytes (V8 11's default: 920). */
export const SHORT_RUN_INLINING_BUDGET = 300;

/**
 * How much a function runs before V8 considers optimising it, in V8's budget units: 8× V8 11's
 * default (67,584). Functions a short run calls only for a while stay in the interpreter and the
 * baseline compiler instead of being optimised, some of them twice, for the little time left.
 */
export const SHORT_RUN_INTERRUPT_BUDGET = 8 * 67_584;

/** Applies the short-run compiler budget (before the command runs any simulation). */
export function useShortRunCompiler(): void {
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${SHORT_RUN_INLINING_BUDGET}`);
  setFlagsFromString(`--interrupt-budget=${SHORT_RUN_INTERRUPT_BUDGET}`);
}
