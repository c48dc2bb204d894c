// Every piece of user text (scenario, cohort and stack names, descriptions, paths) passes through
// one of these before it reaches a report: a scenario file must never be able to run script.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Inline Markdown that renders as the literal characters. HTML is entity-escaped (renderers that
 * pass raw HTML through must not see a tag); brackets, emphasis, code, math, strike and table
 * pipes are backslash-escaped, so no link, image or markup can form. Newlines fold to spaces so a
 * value stays in its cell; callers never start a line with user text, so list markers need no escape.
 */
export function escapeMarkdown(text: unknown): string {
  return stripControl(String(text))
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]#|~$]/g, (c) => `\\${c}`)
    .replace(/[&<>"]/g, (c) => HTML_ESCAPES[c]);
}

/** Text for a chart label: no control characters, no angle brackets, bounded length. */
export function chartLabel(text: unknown, max = 40): string {
  let s = stripControl(String(text)).replace(/[\r\n\t]+/g, ' ').replace(/</g, '‹').replace(/>/g, '›');
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value === undefined || value === null ? '' : String(value);
  // a spreadsheet treats a leading = + - @ as a formula; user text must stay text
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function stripControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/g, '');
}
