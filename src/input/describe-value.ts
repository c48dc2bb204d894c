/** A short, safe rendering of what the user wrote, for "got …" in error messages. */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return 'a very large number';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'infinity' : '-infinity';
    return secret ? 'a number' : String(value);
  }
  if (typeof value === 'string') {
    // API keys and the like must never be echoed back (DESIGN: Safety).
    if (secret) return `a string of ${value.length} characters`;
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  return typeof value;
}
