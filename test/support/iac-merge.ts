/**
 * What a user does with a tune patch written onto their own template or configuration (its
 * header: "merge into <file>"), done mechanically so the project's own audit can read the result.
 * - CloudFormation/SAM: Globals sections and each resource's Properties merge key by key (maps
 *   merge, a list or a value replaces); a resource the template lacks is added; `# delete: <id>`
 *   lines remove resources.
 * - Terraform: a block at an address the user has merges into theirs: an argument replaces theirs,
 *   a nested block that occurs once (settings, default_route_settings, throttle_settings,
 *   quota_settings) merges the same way, repeated blocks (rule, route_settings, api_stages) replace
 *   theirs; other blocks are added.
 * It reads the patch as text a person reads: it knows nothing of how tune wrote it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { readCfnText } from '../../src/audit/read/cfn-yaml.ts';
import { readCloudFormation } from '../../src/audit/read/cloudformation.ts';
import { readTerraform } from '../../src/audit/read/terraform.ts';
import { readServerless } from '../../src/audit/read/serverless.ts';
import type { AuditModel } from '../../src/audit/model.ts';

type Obj = Record<string, any>;

function isMap(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function deepMerge(into: Obj, from: Obj): Obj {
  const out: Obj = { ...into };
  for (const [k, v] of Object.entries(from)) {
    const cur = Object.hasOwn(out, k) ? out[k] : undefined;
    Object.defineProperty(out, k, { value: isMap(cur) && isMap(v) ? deepMerge(cur, v) : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The template (its text) with the CloudFormation patch merged in, as plain data. */
export function mergeCfnPatch(templateText: string, patch: string): Obj {
  const template = structuredClone(readCfnText(templateText, 'template.yaml').data) as Obj;
  const p = (parseYaml(patch) ?? {}) as Obj;
  for (const m of patch.matchAll(/^# delete: (\S+) — /gm)) delete template.Resources[m[1]];
  for (const [section, props] of Object.entries((p.Globals ?? {}) as Obj)) {
    template.Globals = { ...(template.Globals ?? {}), [section]: deepMerge(template.Globals?.[section] ?? {}, props) };
  }
  for (const [id, r] of Object.entries((p.Resources ?? {}) as Obj)) {
    const mine = Object.hasOwn(template.Resources, id) ? template.Resources[id] : undefined;
    if (!mine) template.Resources[id] = r;
    else template.Resources[id] = { ...mine, ...(r.DependsOn ? { DependsOn: r.DependsOn } : {}), Properties: deepMerge(mine.Properties ?? {}, r.Properties ?? {}) };
  }
  return template;
}

/**
 * The serverless.yml (its text) with the Serverless Framework patch merged in, as plain data: key
 * by key from the top (maps merge, a list or a value replaces); `# delete: <id> — ` lines remove
 * `resources.Resources.<id>`.
 */
export function mergeSlsPatch(text: string, patch: string): Obj {
  const doc = deepMerge(structuredClone(readCfnText(text, 'serverless.yml').data) as Obj, (parseYaml(patch) ?? {}) as Obj);
  for (const m of patch.matchAll(/^# delete: (\S+) — /gm)) delete doc.resources?.Resources?.[m[1]];
  return doc;
}

/** Reads a merged serverless.yml with the audit's Serverless Framework reader. */
export function readMergedSls(text: string, patch: string, file = '/repo/serverless.yml'): AuditModel {
  return readServerless(stringify(mergeSlsPatch(text, patch), { lineWidth: 0 }), file);
}

/** Reads a merged template with the audit's CloudFormation reader. */
export function readMergedCfn(templateText: string, patch: string, file = '/repo/template.yaml'): AuditModel {
  return readCloudFormation(stringify(mergeCfnPatch(templateText, patch), { lineWidth: 0 }), file);
}

const SINGLE_BLOCKS = new Set(['settings', 'default_route_settings', 'throttle_settings', 'quota_settings']);

interface Block {
  header: string;
  lines: string[]; // the body, without the header and the closing brace
}

/** Top-level blocks of a file written with two-space indentation (as terraform fmt writes it). */
function topBlocks(text: string): { blocks: Block[]; rest: string[] } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const rest: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^(resource|data) "[^"]+" "[^"]+" \{$/.test(lines[i])) {
      const end = lines.indexOf('}', i + 1);
      blocks.push({ header: lines[i], lines: lines.slice(i + 1, end) });
      i = end;
    } else rest.push(lines[i]);
  }
  return { blocks, rest };
}

/** A body's items at one indentation: arguments (`name = …`, possibly several lines) and nested blocks. */
function items(lines: string[], indent: string): { kind: 'arg' | 'block'; name: string; lines: string[] }[] {
  const out: { kind: 'arg' | 'block'; name: string; lines: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l.startsWith(indent) || l.startsWith(`${indent} `) || l.trim() === '') {
      if (out.length) out[out.length - 1].lines.push(l);
      continue;
    }
    const block = new RegExp(`^${indent}([A-Za-z0-9_]+) \\{$`).exec(l);
    const arg = new RegExp(`^${indent}([A-Za-z0-9_]+)\\s*=`).exec(l);
    if (block) {
      const end = lines.indexOf(`${indent}}`, i + 1);
      out.push({ kind: 'block', name: block[1], lines: lines.slice(i, end + 1) });
      i = end;
    } else out.push({ kind: arg ? 'arg' : 'block', name: arg ? arg[1] : l.trim(), lines: [l] });
  }
  return out;
}

function mergeBody(mine: string[], patch: string[], indent: string): string[] {
  const ours = items(mine, indent);
  const theirs = items(patch, indent);
  const replaced = new Set(theirs.filter((x) => x.kind === 'block' && !SINGLE_BLOCKS.has(x.name)).map((x) => x.name));
  const result = ours.filter((x) => !(x.kind === 'block' && replaced.has(x.name)));
  for (const t of theirs) {
    const at = result.findIndex((x) => x.kind === t.kind && x.name === t.name && (t.kind === 'arg' || SINGLE_BLOCKS.has(t.name)));
    if (at < 0) result.push(t);
    else if (t.kind === 'arg') result[at] = t;
    else result[at] = { ...t, lines: [t.lines[0], ...mergeBody(result[at].lines.slice(1, -1), t.lines.slice(1, -1), `${indent}  `), t.lines[t.lines.length - 1]] };
  }
  return result.flatMap((x) => x.lines);
}

/** The user's configuration (one file's text) with the Terraform patch merged in. */
export function mergeTfPatch(userText: string, patch: string): string {
  const user = topBlocks(userText);
  const p = topBlocks(patch);
  for (const m of patch.matchAll(/^# delete: (\S+) — /gm)) {
    const [type, name] = m[1].split('.');
    user.blocks = user.blocks.filter((b) => b.header !== `resource "${type}" "${name}" {`);
  }
  for (const b of p.blocks) {
    const mine = user.blocks.find((x) => x.header === b.header);
    if (mine) mine.lines = mergeBody(mine.lines, b.lines, '  ');
    else user.blocks.push(b);
  }
  return [...user.rest.filter((l) => l.trim() !== '' && !l.startsWith('#')), ...user.blocks.map((b) => [b.header, ...b.lines, '}'].join('\n'))].join('\n\n') + '\n';
}

/** Reads a merged configuration with the audit's Terraform reader (in a folder of its own). */
export function readMergedTf(userText: string, patch: string): { model: AuditModel; text: string } {
  const text = mergeTfPatch(userText, patch);
  const dir = mkdtempSync(join(tmpdir(), 'dowsim-merge-'));
  writeFileSync(join(dir, 'main.tf'), text);
  return { model: readTerraform(dir), text };
}
