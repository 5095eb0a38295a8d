import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * One physical line of an SDK token file as fields. The Node and TypeScript SDKs split on commas and
 * never quote; the Python SDK writes real CSV (quotes when a value needs them). A line without a quote
 * is split as the SDKs split it; a quoted one goes through csv-parse. Returns null for a line that is
 * not valid CSV.
 */
export function splitLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  try {
    const records = parse(line, { relax_quotes: true, relax_column_count: true }) as string[][];
    return records.length === 1 ? (records[0] ?? null) : null;
  } catch {
    return null;
  }
}

/** Fields as one line: plain when no value needs quoting (what every SDK reads), RFC 4180 quoting otherwise. */
export function joinLine(fields: readonly string[]): string {
  if (fields.every((f) => !/[",\r\n]/.test(f))) return fields.join(',');
  return stringify([fields as string[]], { record_delimiter: '' });
}
