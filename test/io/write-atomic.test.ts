import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/io/write-atomic.ts';

describe('writeFileAtomic', () => {
  it('creates missing directories and leaves only the finished file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-atomic-'));
    const path = join(dir, 'a', 'b', 'report.html');
    writeFileAtomic(path, '<p>hello</p>');
    expect(readFileSync(path, 'utf8')).toBe('<p>hello</p>');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['report.html']);
  });

  it('replaces an existing file whole, with no temp files left over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-atomic-'));
    const path = join(dir, 'r.json');
    writeFileSync(path, 'old');
    for (let i = 0; i < 20; i++) writeFileAtomic(path, `{"n":${i}}`);
    expect(readFileSync(path, 'utf8')).toBe('{"n":19}');
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('cleans up its temp file when the rename fails (target is a directory)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dowsim-atomic-'));
    mkdirSync(join(dir, 'taken'));
    mkdirSync(join(dir, 'taken', 'x'));
    expect(() => writeFileAtomic(join(dir, 'taken'), 'data')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
