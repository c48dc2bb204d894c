import { readInputFile } from '../input/builtins.ts';
import { parseScenario } from './parse.ts';
import type { Scenario } from './types.ts';

/** Reads a scenario file, or a built-in scenario by name ("botnet-flood") when no such file exists. */
export function loadScenario(file: string): Scenario {
  const input = readInputFile(file, 'scenario');
  return parseScenario(input.text, input.file);
}
