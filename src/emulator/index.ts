export { startEmulator, type Emulator, type EmulatorOptions } from './start-emulator.ts';
export { COHORT_HEADER, ROLE_HEADER, METRICS_PATH } from './api-server.ts';
export { MetricsStore } from './metrics-store.ts';
export { cannedResponse } from '../model/gateway-responses.ts';
export { DEFAULT_LIMITS, type EmulatorLimits } from './server-limits.ts';
