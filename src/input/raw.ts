/** Guards for reading raw (not yet validated) file data in cross-field rules. */
import { parseDuration } from '../model/units.ts';

export function isMapValue(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function has(map: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key) && map[key] !== undefined;
}

export function finite(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function seconds(v: unknown): number | undefined {
  return v === 0 ? 0 : parseDuration(v);
}

export function child(map: unknown, key: string): Record<string, unknown> | undefined {
  if (!isMapValue(map)) return undefined;
  const v = map[key];
  return isMapValue(v) ? v : undefined;
}

export function list(map: unknown, key: string): unknown[] {
  if (!isMapValue(map)) return [];
  const v = map[key];
  return Array.isArray(v) ? v : [];
}
