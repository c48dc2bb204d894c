#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` and `npm test` run) when it
// is up to date, else the TypeScript sources through tsx (see compiled-entry.js).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledEntry } from './compiled-entry.js';

const entry = compiledEntry(fileURLToPath(new URL('..', import.meta.url)), process.env);
let main;
if (entry !== undefined) {
  ({ main } = await import(pathToFileURL(entry).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
