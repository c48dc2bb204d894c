/**
 * Terraform onto the resource model: a folder of .tf files (or one file) parsed with HashiCorp's
 * HCL parser, `variable` defaults and `locals` resolved, resources and the well-known API Gateway
 * and Lambda modules read; or a `terraform show -json` plan, whose values are already resolved.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../model/errors.ts';
import { emptyModel, type AuditModel } from '../model.ts';
import { parseHclFiles } from './hcl-json.ts';
import { all, first, TfContext, type Obj, type TfBlock } from './tf-context.ts';
import { readTfBlocks } from './tf-resources.ts';

/** The .tf files of a Terraform source: the file itself, or a folder's (not its subfolders: those are modules). */
export function tfFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => f.endsWith('.tf'))
    .sort()
    .map((f) => join(path, f));
}

/** Line of each block header, by "resource.type.name" / "data.type.name" / "module.name". */
function blockLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const m = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/.exec(l) ?? /^\s*(module)\s+"([^"]+)"/.exec(l);
    if (!m) return;
    const key = m[1] === 'module' ? `module.${m[2]}` : `${m[1]}.${m[2]}.${m[3]}`;
    if (!out.has(key)) out.set(key, i + 1);
  });
  return out;
}

/**
 * How many instances `count` or `for_each` makes of a block: 0 when it is 0, false in a
 * `cond ? 1 : 0`, or an empty map or list; 1 (with an assumption) when the reader cannot tell;
 * undefined for a block that has neither (one instance).
 */
function instances(ctx: TfContext, b: TfBlock): number | undefined {
  const { count, for_each: forEach } = b.body as { count?: unknown; for_each?: unknown };
  if (count !== undefined) {
    const n = countValue(ctx, count);
    if (n !== undefined) return n;
    ctx.assume(b.loc, `count cannot be determined from the configuration (${String(count)}); ${b.address} is assumed to exist`);
    return 1;
  }
  if (forEach !== undefined) {
    const v = ctx.value(forEach);
    if (Array.isArray(v)) return v.length;
    if (v && typeof v === 'object') return Object.keys(v).length;
    // over another resource's instances (for_each = aws_api_gateway_stage.s): one per instance of it, read as one as it is
    if (typeof forEach === 'string' && /^\$\{\s*aws_[a-z0-9_]+\.[\w-]+\s*\}$/.test(forEach)) return 1;
    ctx.assume(b.loc, `for_each cannot be determined from the configuration; ${b.address} is assumed to exist`);
    return 1;
  }
  return undefined;
}

/** A count: a whole number, or an expression of the configuration's values that gives one (`var.on ? 1 : 0`, `length(local.envs)`). */
function countValue(ctx: TfContext, count: unknown): number | undefined {
  const direct = ctx.value(count);
  if (typeof direct === 'number' && Number.isInteger(direct) && direct >= 0) return direct;
  if (typeof direct === 'string' && /^\d+$/.test(direct)) return Number(direct);
  return undefined;
}

export function readTerraform(path: string): AuditModel {
  const files = tfFiles(path).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const parsed = parseHclFiles(files);
  const model = emptyModel(path, 'terraform');
  const ctx = new TfContext(model);
  parsed.forEach(({ file, json }, i) => {
    const lines = blockLines(files[i].text);
    for (const [name, bodies] of Object.entries((json.variable as Obj) ?? {})) ctx.addVariable(name, first(bodies) ?? {});
    for (const l of all(json.locals)) for (const [k, v] of Object.entries(l)) ctx.locals.set(k, v);
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries((json[kind] as Obj) ?? {})) {
        for (const [name, bodies] of Object.entries((byName as Obj) ?? {})) {
          const address = kind === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
          const line = lines.get(`${kind}.${type}.${name}`) ?? 1;
          const block: TfBlock = { kind, type, name, address, body: first(bodies) ?? {}, loc: { file, line, resource: address } };
          if (instances(ctx, block) === 0) continue; // `count = 0` or an empty for_each: terraform makes none
          ctx.blocks.push(block);
        }
      }
    }
    for (const [name, bodies] of Object.entries((json.module as Obj) ?? {})) {
      const line = lines.get(`module.${name}`) ?? 1;
      ctx.blocks.push({ kind: 'module', type: 'module', name, address: `module.${name}`, body: first(bodies) ?? {}, loc: { file, line, resource: `module.${name}` } });
    }
    for (const p of all((json.provider as Obj | undefined)?.aws)) {
      const region = ctx.str(p.region);
      if (region && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) model.region = region;
    }
  });
  readTfBlocks(ctx);
  return model;
}

/** A plan (`terraform show -json`): resources under planned_values, every value known or marked unknown. */
export function readTerraformPlan(text: string, file: string): AuditModel {
  let plan: Obj;
  try {
    plan = JSON.parse(text) as Obj;
  } catch (e) {
    throw new InputError([{ path: 'line 1', message: `invalid JSON: ${(e as Error).message}` }], file);
  }
  const model = emptyModel(file, 'terraform');
  const ctx = new TfContext(model);
  // a plan's values hold no references (ids are unknown until apply): take them from `configuration`
  const refsByAddress = new Map<string, Obj>();
  for (const r of all(((plan.configuration as Obj | undefined)?.root_module as Obj | undefined)?.resources)) refsByAddress.set(String(r.address), (r.expressions as Obj) ?? {});
  const withRefs = (address: string, values: Obj): Obj => {
    const out: Obj = { ...values };
    for (const [attr, e] of Object.entries(refsByAddress.get(address) ?? {})) {
      const refs = (e as Obj | undefined)?.references;
      if (Array.isArray(refs) && refs.length && (out[attr] === null || out[attr] === undefined)) out[attr] = `\${${String(refs[0])}}`;
    }
    return out;
  };
  const visit = (mod: Obj | undefined) => {
    if (!mod) return;
    for (const r of all(mod.resources)) {
      const address = String(r.address ?? `${r.type}.${r.name}`);
      const kind = r.mode === 'data' ? 'data' : 'resource';
      // a plan has no source lines: point at the line of the address in the plan file
      const at = text.indexOf(`"address": "${address}"`) >= 0 ? text.indexOf(`"address": "${address}"`) : text.indexOf(`"${address}"`);
      const line = at >= 0 ? text.slice(0, at).split('\n').length : 1;
      const block: TfBlock = { kind, type: String(r.type), name: String(r.name), address: address.replace(/\[[^\]]*\]/g, ''), body: withRefs(address.replace(/\[[^\]]*\]/g, ''), (r.values as Obj) ?? {}), loc: { file, line, resource: address } };
      ctx.blocks.push(block);
    }
    for (const c of all(mod.child_modules)) visit(c);
  };
  visit(first((plan.planned_values as Obj | undefined)?.root_module) ?? ((plan.planned_values as Obj | undefined)?.root_module as Obj | undefined));
  readTfBlocks(ctx);
  return model;
}
