import { escapeHtml as h } from './escape.ts';

/** Every dowsim page is self-contained: no script, no network, inline styles and images only. */
export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The opening of a self-contained dowsim HTML page, up to and including </head>. */
export function pageHead(title: string, style: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dowsim">
<title>${h(title)}</title>
<style>${style}</style>
</head>`;
}
