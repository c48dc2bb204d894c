/** The stack module: reading stack files, route matching, API keys, and scenario/stack fit. */
export { loadStack } from './load.ts';
export { parseStack } from './parse.ts';
export { accountDefaults } from './account-defaults.ts';
export { matchRoute, CATCH_ALL_ROUTE } from './routes.ts';
export { planForKey, syntheticApiKey } from './api-keys.ts';
export { checkScenarioAgainstStack } from './compat.ts';
export type { Stack, Throttle, UsagePlan } from './types.ts';
