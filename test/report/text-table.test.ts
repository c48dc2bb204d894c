/**
 * Console tables are aligned in terminal columns, not in code points: a CJK character or an emoji
 * takes two columns (Unicode UAX #11 East Asian Width "W"/"F", UTS #51 emoji presentation), a
 * combining mark none. Cohort and stack names are the user's, in any script.
 */
import { describe, expect, it } from 'vitest';
import { textTable, truncate, visibleLength } from '../../src/report/text-table.ts';

describe('terminal widths', () => {
  it.each([
    ['users', 5],
    ['ユーザー', 8], // four katakana, two columns each
    ['ボット 🤖', 9], // three katakana, a space, an emoji
    ['用户', 4],
    ['사용자', 6], // hangul syllables
    ['café', 4], // é precomposed
    ['cafe\u0301', 4], // e and a combining acute: one column
    ['👍🏽', 2], // an emoji with a skin-tone modifier: one picture
    ['👨‍👩‍👧', 2], // a ZWJ family: one picture
    ['🇯🇵', 2], // a flag: two regional indicators, one picture
    ['ＡＢ', 4], // fullwidth Latin
    ['\u001b[31mred\u001b[0m', 3], // colour codes take no room
  ])('%s is %d columns', (s, w) => {
    expect(visibleLength(s)).toBe(w);
  });

  it('a table of CJK and emoji names lines its columns up: every row as wide, the role column starting at one column', () => {
    const lines = textTable([{ header: 'cohort' }, { header: 'role' }, { header: 'offered', align: 'right' }], [
      ['ユーザー', 'legit', '1,200'],
      ['ボット 🤖', 'attack', '36,000'],
      ['users', 'legit', '5'],
    ]);
    // the widest name is 9 columns: every role starts at indent 2 + 9 + 2 spaces = column 13
    for (const [line, role] of [
      [lines[1], 'legit'],
      [lines[2], 'attack'],
      [lines[3], 'legit'],
    ] as const) {
      const at = line.indexOf(role);
      expect(visibleLength(line.slice(0, at))).toBe(13);
    }
    expect(new Set(lines.map(visibleLength)).size).toBe(1);
  });

  it('truncate cuts at columns, never inside a picture or a wide character', () => {
    expect(truncate('ユーザーの名前', 7)).toBe('ユーザ…'); // 6 columns and the ellipsis
    expect(visibleLength(truncate('ユーザーの名前', 7))).toBe(7);
    expect(truncate('ab👨‍👩‍👧cd', 4)).toBe('ab…'); // the family would take columns 3–4, leaving no room for the ellipsis
    expect(truncate('short', 10)).toBe('short');
  });
});
