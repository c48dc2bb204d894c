import { readInputFile } from '../scenario/input/builtins.ts';
import { parseStack } from './parse.ts';
import type { Stack } from './types.ts';
import { loadIacStack } from '../audit/stack-source.ts';

/** Reads a stack file, or a built-in stack by name ("rest-waf") when no such file exists. */
export function loadStack(file: string): Stack {
  // an IaC source (template.yaml#OrdersApi, infra/#aws_api_gateway_rest_api.main) is audited into a stack
  const iac = loadIacStack(file);
  if (iac) {
    for (const a of iac.assumptions) process.stderr.write(`warning: ${a.file}:${a.line}: ${a.resource}: ${a.message}\n`);
    return iac.stack;
  }
  const input = readInputFile(file, 'stack');
  return parseStack(input.text, input.file);
}
