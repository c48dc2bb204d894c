/**
 * Which reader a source needs, and reading it: a CloudFormation/SAM template (YAML or JSON), a
 * CDK `cdk.out` folder (manifest.json + templates), a Terraform folder or file (or a
 * `terraform show -json` plan), or a Serverless Framework `serverless.yml`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../model/errors.ts';
import { emptyModel, type AuditModel } from '../model.ts';
import { readCloudFormation } from './cloudformation.ts';
import { functionUrlApis } from './function-url-apis.ts';
import { readServerless } from './serverless.ts';
import { readTerraform, readTerraformPlan, tfFiles } from './terraform.ts';
import { prefetchHclFiles } from './hcl-json.ts';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
}

/** The templates of a CDK cloud assembly, from its manifest (every artifact of type aws:cloudformation:stack). */
function cdkTemplates(dir: string): string[] {
  const manifest = JSON.parse(readText(join(dir, 'manifest.json'))) as { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }> };
  const files = Object.values(manifest.artifacts ?? {})
    .filter((a) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map((a) => join(dir, a.properties!.templateFile!));
  return files.length ? files : readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => join(dir, f));
}

function looksLikeServerless(file: string, text: string): boolean {
  return /^serverless\.(ya?ml|json)$/.test(basename(file)) || (/^service\s*:/m.test(text) && /^provider\s*:/m.test(text));
}

/** Starts the HCL parser once for the Terraform files of all these sources (each start loads its WASM). */
export function prefetchSources(paths: string[]): void {
  const files: { file: string; text: string }[] = [];
  for (const p of paths) {
    try {
      const isTf = p.endsWith('.tf') || (statSync(p).isDirectory() && !existsSync(join(p, 'manifest.json')) && readdirSync(p).some((f) => f.endsWith('.tf')));
      if (isTf) for (const f of tfFiles(p)) files.push({ file: f, text: readFileSync(f, 'utf8') });
    } catch {
      // the real read reports a missing or unreadable source
    }
  }
  if (files.length) prefetchHclFiles(files);
}

/** Reads one source the user named into the resource model. */
/** Files of another kind of source in a folder read as `format`: templates, serverless.yml, .tf files, a manifest. */
function otherSources(dir: string, format: string): string[] {
  const names = readdirSync(dir);
  const out: string[] = [];
  if (format !== 'cdk' && names.includes('manifest.json')) out.push('manifest.json');
  if (format !== 'terraform') out.push(...names.filter((f) => f.endsWith('.tf')).slice(0, 3));
  if (format !== 'serverless') out.push(...names.filter((f) => /^serverless\.(ya?ml|json)$/.test(f)));
  // templates are read only when named (a folder is cdk.out, Terraform or Serverless)
  out.push(...names.filter((f) => /^template\.(ya?ml|json)$/.test(f) || (format !== 'cdk' && f.endsWith('.template.json'))));
  return out;
}

export function readSource(path: string): AuditModel {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError('no such file or folder', path);
  }
  let model: AuditModel;
  if (stat.isDirectory()) {
    if (existsSync(join(path, 'manifest.json'))) {
      model = emptyModel(path, 'cdk');
      for (const t of cdkTemplates(path)) readCloudFormation(readText(t), t, model);
    } else if (readdirSync(path).some((f) => f.endsWith('.tf'))) {
      model = readTerraform(path);
    } else if (['serverless.yml', 'serverless.yaml'].some((f) => existsSync(join(path, f)))) {
      const f = join(path, existsSync(join(path, 'serverless.yml')) ? 'serverless.yml' : 'serverless.yaml');
      model = readServerless(readText(f), f);
    } else {
      throw new InputError('expected a folder with Terraform .tf files, a CDK cdk.out (manifest.json) or serverless.yml', path);
    }
    // a folder is read as one kind of source: the others in it are named, not silently skipped
    const others = otherSources(path, model.format);
    if (others.length) model.assumptions.push({ file: path, line: 1, resource: basename(path), message: `read as ${model.format}; also in this folder and not read: ${others.join(', ')} (audit each by naming it: dowsim audit <file>)` });
  } else if (path.endsWith('.tf')) {
    model = readTerraform(path);
  } else {
    const text = readText(path);
    if (looksLikeServerless(path, text)) model = readServerless(text, path);
    else if (/^\s*\{/.test(text) && /"(planned_values|terraform_version|format_version)"/.test(text.slice(0, 4000)) && !/"Resources"/.test(text.slice(0, 200000))) model = readTerraformPlan(text, path);
    else model = readCloudFormation(text, path);
  }
  functionUrlApis(model);
  return model;
}
