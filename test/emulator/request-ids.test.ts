import { describe, expect, it } from 'vitest';
import { newIds } from '../../src/emulator/request-ids.ts';

// Shapes from outside the code: a version-4 UUID per RFC 4122 §4.4 (version nibble 4, variant
// bits 10xx: 8, 9, a or b), and API Gateway's short ids as captured (15 base64url characters, "=").
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHORT_ID = /^[A-Za-z0-9_-]{15}=$/;

describe('request ids', () => {
  it('are AWS-shaped and never repeat within a process (200,000 of them, past a 4,096 chunk boundary)', () => {
    const seen = new Set<string>();
    const misshapen: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const { requestId, shortId } = newIds();
      if (!UUID_V4.test(requestId)) misshapen.push(requestId);
      if (!SHORT_ID.test(shortId)) misshapen.push(shortId);
      seen.add(requestId);
      seen.add(shortId);
    }
    expect(misshapen.slice(0, 5)).toEqual([]);
    // 200,000 UUIDs and 200,000 short ids, all distinct (the two shapes cannot collide)
    expect(seen.size).toBe(400_000);
  });
});
