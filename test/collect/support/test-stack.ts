import type { Stack } from '../../../src/stack/types.ts';
import { makeStack } from '../../support/stacks.ts';

/** makeStack with partial `api`/`lambda` overrides (its own parameter type demands whole ones). */
export function testStack(over: { api?: Partial<Stack['api']>; lambda?: Partial<Stack['lambda']> } = {}): Stack {
  return makeStack(over as Parameters<typeof makeStack>[0]);
}
