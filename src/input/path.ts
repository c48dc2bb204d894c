/** A place in an input file: keys and list indexes from the top, e.g. ['cohorts', 1, 'rate', 0]. */
export type PathKey = string | number;

/** Longer keys are cut in messages: a path names a place, it need not echo a megabyte of key. */
const MAX_KEY_CHARS = 80;

/** Writes a path the way users read it: `cohorts[1].rate[0].duration`, `api.routes["GET /items"]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const whole of path) {
    const key = typeof whole === 'string' && whole.length > MAX_KEY_CHARS ? `${whole.slice(0, MAX_KEY_CHARS - 3)}...` : whole;
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
