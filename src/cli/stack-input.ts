import { loadIacStack } from '../audit/stack-source.ts';
import { loadStack } from '../stack/load.ts';
import type { Stack } from '../stack/types.ts';
import type { IacTargets } from '../audit/targets.ts';

/**
 * What every `--stack` argument names: an IaC source (template.yaml#OrdersApi,
 * infra/#aws_api_gateway_rest_api.main) audited into a stack, a stack file, or a built-in stack.
 * Lives in the CLI layer so that stack/ stays below audit/ (no folder-level import cycle).
 */
export function loadStackInput(arg: string): Stack {
  return loadStackSource(arg).stack;
}

/** The same, with the user's own resources behind an IaC-derived stack (what tune's patches name). */
export function loadStackSource(arg: string): { stack: Stack; targets?: IacTargets } {
  const iac = loadIacStack(arg);
  if (iac) {
    for (const a of iac.assumptions) process.stderr.write(`warning: ${a.file}:${a.line}: ${a.resource}: ${a.message}\n`);
    return { stack: iac.stack, ...(iac.targets ? { targets: iac.targets } : {}) };
  }
  return { stack: loadStack(arg) };
}
