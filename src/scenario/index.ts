/** The scenario module: reading scenario files and the arithmetic of their rate profiles. */
export { loadScenario } from './load.ts';
export { parseScenario } from './parse.ts';
export { arrivalsBetween, constantUntil, profileDuration, rateAt, scenarioDuration } from './profile.ts';
export { describeCohort } from './describe.ts';
export type { Cohort, RequestSpec, Scenario, Segment } from './types.ts';
