/**
 * An IaC source where a stack is taken: `--stack template.yaml` (its one API),
 * `--stack template.yaml#OrdersApi`, `--stack infra/#aws_api_gateway_rest_api.main`.
 * Answers undefined when the argument is a plain stack file (or a built-in stack name).
 */
import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../model/errors.ts';
import type { Stack } from '../stack/types.ts';
import type { Assumption } from './model.ts';
import { readSource } from './read/source.ts';
import { deriveStack } from './stack-document.ts';
import { iacTargets, type IacTargets } from './targets.ts';

/** Whether a file holds infrastructure as code rather than a dowsim stack file. */
function isIacFile(path: string): boolean {
  if (path.endsWith('.tf')) return true;
  let head: string;
  try {
    head = readFileSync(path, 'utf8').slice(0, 200_000);
  } catch {
    return false;
  }
  return /^(Resources|AWSTemplateFormatVersion|Transform)\s*:/m.test(head) || /^\s*\{[\s\S]*"(Resources|AWSTemplateFormatVersion)"\s*:/.test(head) || (/^service\s*:/m.test(head) && /^provider\s*:/m.test(head)) || /"planned_values"\s*:/.test(head);
}

function kind(path: string): 'dir' | 'file' | undefined {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

export function loadIacStack(arg: string): { stack: Stack; assumptions: Assumption[]; targets?: IacTargets } | undefined {
  const hash = arg.lastIndexOf('#');
  const path = hash > 0 ? arg.slice(0, hash) : arg;
  const id = hash > 0 ? arg.slice(hash + 1) : undefined;
  const k = kind(path);
  if (!k || (k === 'file' && !isIacFile(path))) {
    if (id !== undefined && k) throw new InputError('"#<resource>" selects an API in an infrastructure-as-code source; this file is a stack file', arg);
    return undefined;
  }
  const model = readSource(path);
  const ids = model.apis.map((a) => a.id);
  if (model.apis.length === 0) throw new InputError('no API (REST API, HTTP API or function URL) found in this source', path);
  const api = id === undefined ? (model.apis.length === 1 ? model.apis[0] : undefined) : model.apis.find((a) => a.id === id || a.id.endsWith(`.${id}`));
  if (!api) {
    const why = id === undefined ? `it defines ${ids.length} APIs; choose one with "${path}#<id>"` : `no API "${id}" here`;
    throw new InputError(`${why}; APIs: ${ids.join(', ')}`, path);
  }
  const derived = deriveStack(model, api);
  const assumptions = [...model.assumptions, ...derived.assumptions];
  const targets = iacTargets(model, api);
  return { stack: derived.stack, assumptions, ...(targets ? { targets } : {}) };
}
