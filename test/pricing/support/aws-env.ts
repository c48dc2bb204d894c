/**
 * Runs `fn` with these environment variables set (undefined: unset), then puts the environment
 * back as it was, also when `fn` is async or throws: the SDK reads credentials, profiles and
 * endpoints from the environment, and one test's choice must not leak into the next.
 */
export function withAwsEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  let result: T;
  try {
    result = fn();
  } catch (err) {
    apply(saved);
    throw err;
  }
  if (result instanceof Promise) return result.finally(() => apply(saved)) as T;
  apply(saved);
  return result;
}
