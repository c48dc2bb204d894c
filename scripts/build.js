#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through `prepare`, and before `npm test`): bundles the CLI
// into dist/ with esbuild. Code splitting keeps what only some commands need (the live-run driver,
// the CloudWatch and Price List collectors) in chunks loaded when those commands start; the AWS
// SDK, undici, echarts and playwright stay in node_modules and load only where they are imported.
// `--outdir <dir>` builds elsewhere (tests build a private copy).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 ? process.argv[at + 1] : `${root}dist`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Heavy, and needed by few commands: left to node_modules, imported lazily by the code using them.
  external: ['@aws-sdk/*', 'undici', 'echarts', 'playwright-core', 'tsx'],
  // Bundled CommonJS packages (commander, yaml) call require(): give the ESM chunks one.
  banner: { js: "import { createRequire as __dowsimRequire } from 'node:module'; const require = __dowsimRequire(import.meta.url);" },
  logLevel: 'warning',
});
