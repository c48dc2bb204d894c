export function compiledEntry(root: string, env: Record<string, string | undefined>): string | undefined;
