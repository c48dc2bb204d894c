/** Every source in the IaC corpus copied from ../shared/iac-corpus (see its README for what each holds). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../fixtures/iac-corpus/', import.meta.url));

export function at(rel: string): string {
  return join(CORPUS, rel);
}

/** Each unit the README names: a SAM/CDK file, a Terraform folder (each tf-provider-aws-docs snippet alone), a serverless.yml. */
export function corpusSources(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(at('sam-translator')).sort()) if (/\.(yaml|json)$/.test(f)) out.push(at(`sam-translator/${f}`));
  for (const f of readdirSync(at('cdk')).sort()) if (f.endsWith('.json')) out.push(at(`cdk/${f}`));
  for (const d of readdirSync(at('terraform')).sort()) {
    if (d !== 'tf-provider-aws-docs') out.push(at(`terraform/${d}`));
    else for (const s of readdirSync(at(`terraform/${d}`)).sort()) if (statSync(at(`terraform/${d}/${s}`)).isDirectory()) out.push(at(`terraform/${d}/${s}`));
  }
  for (const d of readdirSync(at('serverless')).sort()) out.push(at(`serverless/${d}/serverless.yml`));
  return out;
}
