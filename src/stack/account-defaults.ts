import type { Throttle } from './types.ts';

/**
 * Regions opened more recently, whose account-level API Gateway quota is 2,500 rps / 1,250 burst
 * instead of 10,000 / 5,000 (AWS docs: API Gateway quotas, limits.html; see aws-facts.md).
 */
export const NEWER_REGIONS: readonly string[] = [
  'af-south-1',
  'eu-south-1',
  'ap-southeast-3',
  'me-central-1',
  'ap-south-2',
  'ap-southeast-4',
  'eu-south-2',
  'eu-central-2',
  'il-central-1',
  'ca-west-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'mx-central-1',
];

/** The account-level API Gateway throttle a Region gives by default (shared by all APIs there). */
export function accountDefaults(region: string): Throttle {
  return NEWER_REGIONS.includes(region) ? { rate: 2500, burst: 1250 } : { rate: 10000, burst: 5000 };
}
