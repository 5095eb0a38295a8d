/**
 * CSV per RFC 4180 (CRLF line ends; a field holding a comma, quote or line break is quoted and its quotes
 * doubled), with the OWASP guard against formula injection: a cell a spreadsheet would evaluate (leading
 * `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with a single quote so it stays text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
