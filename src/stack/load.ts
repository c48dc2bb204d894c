import { readInputFile } from '../input/builtins.ts';
import { parseStack } from './parse.ts';
import type { Stack } from './types.ts';

/** Reads a stack file, or a built-in stack by name ("rest-waf") when no such file exists. */
export function loadStack(file: string): Stack {
  const input = readInputFile(file, 'stack');
  return parseStack(input.text, input.file);
}
