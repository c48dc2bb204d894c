/** A plain-text table: columns padded to their widest cell, numbers right-aligned. */
export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
}

export function textTable(columns: TextColumn[], rows: string[][], indent = '  '): string[] {
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, widths[i] - visibleLength(cell)));
        return columns[i].align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}

export function tableWidth(lines: string[]): number {
  return Math.max(0, ...lines.map(visibleLength));
}

/**
 * Width as a terminal shows it, in columns: ANSI colour codes take none, and each grapheme (a
 * character with its combining marks, an emoji sequence) takes one column, or two when it is East
 * Asian wide or fullwidth (CJK, kana, hangul, fullwidth forms) or an emoji shown as one (Unicode
 * UAX #11 and UTS #51, as wcwidth and terminals count them).
 */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  const plain = s.replace(/\u001b\[[0-9;]*m/g, '');
  // ASCII: one column a character (the common case, without segmenting)
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  let n = 0;
  for (const { segment } of graphemes.segment(plain)) n += graphemeWidth(segment);
  return n;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** East Asian Wide and Fullwidth code point ranges (UAX #11), as wcwidth lists them. */
const WIDE: [number, number][] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];

function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || /^[\p{Mn}\p{Me}\p{Cf}]+$/u.test(g)) return 0;
  // an emoji shown as a picture: its own presentation, a variation selector 16, a keycap or a flag
  if (/\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Regional_Indicator}/u.test(g)) return 2;
  return WIDE.some(([a, b]) => cp >= a && cp <= b) ? 2 : 1;
}

/** Cuts text to `max` visible columns with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (visibleLength(s) <= max) return s;
  let out = '';
  let width = 0;
  for (const { segment } of graphemes.segment(s)) {
    const w = graphemeWidth(segment);
    if (width + w > Math.max(1, max - 1)) break;
    out += segment;
    width += w;
  }
  return `${out}…`;
}

/**
 * Word-wraps text to `width` visible columns: the first line after `first`, the others after
 * `indent`. Nothing is cut; a word longer than a line gets a line of its own.
 */
export function wrapText(text: string, width: number, first: string, indent: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines;
}
