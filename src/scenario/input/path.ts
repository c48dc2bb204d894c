/** A place in an input file: keys and list indexes from the top, e.g. ['cohorts', 1, 'rate', 0]. */
export type PathKey = string | number;

/** Writes a path the way users read it: `cohorts[1].rate[0].duration`, `api.routes["GET /items"]`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
