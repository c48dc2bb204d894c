/**
 * HCL → JSON through HashiCorp's own parser (compiled to WASM in @cdktf/hcl2json). The package
 * only offers an async API, while stack loading is synchronous everywhere in dowsim; so the
 * parse runs in a short-lived child Node process and comes back as JSON (one process for all files).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../model/errors.ts';

const require = createRequire(import.meta.url);

const CHILD = `
const { parse } = await import(process.env.HCL2JSON_URL);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const f of JSON.parse(input)) {
  try { out.push({ file: f.file, json: await parse(f.file, f.text) }); }
  catch (e) { out.push({ file: f.file, error: String(e && e.message || e) }); }
}
process.stdout.write(JSON.stringify(out));
`;

export interface HclFile {
  file: string;
  json: Record<string, unknown>;
}

/** Parsed files by path and text, so several sources read together start the parser once. */
const cache = new Map<string, HclFile>();

/** Parses the .tf files of several sources in one parser process (a CLI given many folders, a test over a corpus). */
export function prefetchHclFiles(files: { file: string; text: string }[]): void {
  const todo = files.filter((f) => !cache.has(`${f.file}\u0000${f.text}`));
  let results: { file: string; json?: Record<string, unknown>; error?: string }[];
  try {
    results = runParser(todo);
  } catch {
    return; // the real read reports it
  }
  todo.forEach((f, i) => {
    const r = results[i];
    if (r && r.json && !r.error) cache.set(`${f.file}\u0000${f.text}`, { file: f.file, json: r.json });
  });
}

function runParser(files: { file: string; text: string }[]): { file: string; json?: Record<string, unknown>; error?: string }[] {
  if (files.length === 0) return [];
  const url = pathToFileURL(require.resolve('@cdktf/hcl2json')).href;
  const raw = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    input: JSON.stringify(files),
    env: { ...process.env, HCL2JSON_URL: url, NODE_OPTIONS: '' },
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  return JSON.parse(raw) as { file: string; json?: Record<string, unknown>; error?: string }[];
}

/** Parses .tf files; a syntax error is one InputError naming the file and line. */
export function parseHclFiles(files: { file: string; text: string }[]): HclFile[] {
  if (files.length === 0) return [];
  if (files.every((f) => cache.has(`${f.file}\u0000${f.text}`))) return files.map((f) => cache.get(`${f.file}\u0000${f.text}`)!);
  let results: { file: string; json?: Record<string, unknown>; error?: string }[];
  try {
    results = runParser(files);
  } catch (e) {
    throw new Error(`the HCL parser failed to run: ${(e as Error).message}`);
  }
  const bad = results.filter((r) => r.error);
  if (bad.length) {
    throw new InputError(
      bad.map((r) => {
        // "parse config: [main.tf:2,7-3,1: Invalid expression; …]"
        const m = /\[?([^\[\]:]+\.tf):(\d+),(\d+)[^:]*: (.*?)\]?$/.exec(r.error!);
        return m ? { path: `${r.file}: line ${m[2]}, column ${m[3]}`, message: `invalid Terraform: ${m[4]}` } : { path: r.file, message: `invalid Terraform: ${r.error}` };
      }),
    );
  }
  return results.map((r) => ({ file: r.file, json: r.json ?? {} }));
}
