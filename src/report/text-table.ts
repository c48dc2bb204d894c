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

/** Length as a terminal shows it: ANSI colour codes take no room. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** Cuts text to `max` visible characters with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
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
