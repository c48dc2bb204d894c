import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beginFileSet, writeFileSet } from '../../src/io/write-file-set.ts';
import { ROOT, runCli } from '../support/cli.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'dowsim-set-'));
const sorted = (dir: string) => readdirSync(dir).sort();

/** The pid of a process that has exited (what a killed run leaves in its temp names). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('report sets are written as a unit', () => {
  it('a new folder appears with all its files at once, nothing beside it', () => {
    const root = fresh();
    const dir = join(root, 'run-1');
    const set = beginFileSet(dir);
    set.write('r.json', '{}');
    set.write('r.md', '# r');
    expect(existsSync(dir)).toBe(false); // staged, not visible yet
    expect(set.commit()).toEqual([join(dir, 'r.json'), join(dir, 'r.md')]);
    expect(sorted(dir)).toEqual(['r.json', 'r.md']);
    expect(sorted(root)).toEqual(['run-1']);
  });

  it('into an existing folder: its files replaced, other files untouched, no temp left', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'r.json'), 'old');
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const set = beginFileSet(dir);
    set.write('r.json', 'new');
    set.write('r.md', 'new');
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('old');
    set.commit();
    expect(sorted(dir)).toEqual(['notes.txt', 'r.json', 'r.md']);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('new');
  });

  it('an aborted set leaves the folder as it was', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'r.json'), 'old');
    const set = beginFileSet(dir);
    set.write('r.json', 'new');
    set.abort();
    expect(sorted(dir)).toEqual(['r.json']);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('old');
  });

  it('writeFileSet: all the files, in order; one that cannot be written leaves none of them and no staging', () => {
    const root = fresh();
    const dir = join(root, 'out');
    expect(writeFileSet(dir, [['b.json', '{}'], ['a.html', '<p>']])).toEqual([join(dir, 'b.json'), join(dir, 'a.html')]);
    expect(sorted(dir)).toEqual(['a.html', 'b.json']);
    // a name that is not a plain file name fails the set after its first file was staged
    const other = join(root, 'other');
    expect(() => writeFileSet(other, [['ok.json', '{}'], ['../escape.json', '{}']])).toThrow(/not a plain file name/);
    expect(sorted(root)).toEqual(['out']);
    // into an existing folder: nothing replaced, nothing left behind
    expect(() => writeFileSet(dir, [['b.json', 'new'], ['.hidden', 'x']])).toThrow(/not a plain file name/);
    expect(sorted(dir)).toEqual(['a.html', 'b.json']);
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('{}');
  });

  it('a name a folder holds already fails the set before any file moves in: none replaced, none added', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'r.json'), 'old');
    mkdirSync(join(dir, 'r.md'));
    // r.json would have been renamed in before r.md's rename failed
    expect(() => writeFileSet(dir, [['r.json', 'new'], ['r.md', '# r'], ['r.html', '<p>']])).toThrow(/"r\.md" in ".*" is a folder, not a file: no file of the set was written/);
    expect(sorted(dir)).toEqual(['r.json', 'r.md']);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('old');
  });

  it('dowsim k6 --out into a folder where one of its two files is a folder: exit 1 naming it, neither file written (was a stack trace, and the script left behind)', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'quick-flood.testrun.yaml'));
    const r = await runCli(['k6', 'quick-flood', '--stack', 'rest-waf', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dowsim: --out: cannot write into ".*": "quick-flood\.testrun\.yaml" in ".*" is a folder, not a file/m);
    expect(r.stderr).not.toMatch(/internal error|at renameSync/);
    expect(sorted(dir)).toEqual(['quick-flood.testrun.yaml']);
  });

  it('a run killed (SIGKILL) before its set was complete left nothing visible; the next run removes its staging', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'r.json'), 'old');
    // a real process stages two files of a set, then is killed before committing
    const script = `import { beginFileSet } from './src/io/write-file-set.ts';
const set = beginFileSet(${JSON.stringify(dir)});
set.write('r.json', 'new'); set.write('r.md', 'new');
process.kill(process.pid, 'SIGKILL');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: 'ignore' });
    const signal = await new Promise((r) => child.on('exit', (_, s) => r(s)));
    expect(signal).toBe('SIGKILL');
    const left = sorted(dir);
    expect(left).toHaveLength(2); // r.json (old) and the dead run's staging folder
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('old');

    beginFileSet(dir).commit(); // the next run, even one writing nothing
    expect(sorted(dir)).toEqual(['r.json']);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('old');
  });

  it('a run killed among its renames is finished by the next one; stale temp files go', () => {
    const dir = fresh();
    const pid = deadPid();
    // what a kill leaves after COMMITTED was written and r.json already moved in
    const staging = join(dir, `.dowsim-${pid}-0123abcd.tmp`);
    mkdirSync(staging);
    writeFileSync(join(dir, 'r.json'), 'killed run');
    writeFileSync(join(staging, 'r.md'), 'killed run');
    writeFileSync(join(staging, 'r-chart.svg'), 'killed run');
    writeFileSync(join(staging, 'COMMITTED'), 'r.json\nr-chart.svg\nr.md');
    // and a temp file of writeFileAtomic from the same dead run, and one of a live process (ours)
    writeFileSync(join(dir, `.r.html.${pid}.89abcdef.tmp`), 'half');
    writeFileSync(join(dir, `.r.csv.${process.pid}.89abcdef.tmp`), 'in progress');

    const set = beginFileSet(dir);
    // the dead run's files are in; what is left is this run's staging and the live process's temp
    expect(sorted(dir)).toEqual([expect.stringMatching(/^\.dowsim-\d+-[0-9a-f]{8}\.tmp$/), `.r.csv.${process.pid}.89abcdef.tmp`, 'r-chart.svg', 'r.json', 'r.md']);
    for (const f of ['r-chart.svg', 'r.json', 'r.md']) expect(readFileSync(join(dir, f), 'utf8')).toBe('killed run');
    set.write('r.json', 'this run');
    set.commit();
    expect(sorted(dir)).toEqual([`.r.csv.${process.pid}.89abcdef.tmp`, 'r-chart.svg', 'r.json', 'r.md']);
    expect(readFileSync(join(dir, 'r.json'), 'utf8')).toBe('this run');
  });

  it('a new folder whose run was killed before its rename is dropped by the next run beside it', () => {
    const root = fresh();
    const pid = deadPid();
    const staging = join(root, `.run-1.dowsim-${pid}-0123abcd.tmp`);
    mkdirSync(staging);
    writeFileSync(join(staging, 'r.json'), 'never shown');
    beginFileSet(join(root, 'run-2')).commit();
    expect(sorted(root)).toEqual(['run-2']);
  });

  it('dowsim simulate --out into a folder a killed run left untidy: only the new reports remain', async () => {
    const dir = fresh();
    const pid = deadPid();
    mkdirSync(join(dir, `.dowsim-${pid}-0123abcd.tmp`));
    writeFileSync(join(dir, `.dowsim-${pid}-0123abcd.tmp`, 'quick-flood.json'), 'never committed');
    writeFileSync(join(dir, `.quick-flood.md.${pid}.89abcdef.tmp`), 'half');
    const r = await runCli(['simulate', 'quick-flood', '--stack', 'rest-unprotected', '--horizon', '1h', '--format', 'json,csv', '--out', dir]);
    expect(r.code).toBe(0);
    expect(sorted(dir)).toEqual(['quick-flood.csv', 'quick-flood.json']);
    expect(JSON.parse(readFileSync(join(dir, 'quick-flood.json'), 'utf8')).schema).toBe('dowsim.result/1');
  });
});
