import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/** One data row of a CSV file, with the 1-based line it starts on (quoted fields may span lines). */
export interface CsvRow {
  line: number;
  values: string[];
}

interface CsvErrorShape {
  code?: string;
  lines?: number;
  message: string;
}

/**
 * Parses a whole CSV file and checks its header: every row must have exactly the header's columns.
 * `displayName` is the path shown in errors.
 */
export function readCsv(path: string, displayName: string, header: readonly string[]): CsvRow[] {
  const text = readInputFile(path, displayName);
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    const csvError = error as CsvErrorShape;
    const line = csvError.lines;
    if (csvError.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
      const got = /got (\d+)/.exec(csvError.message)?.[1] ?? 'a different number of';
      throw new InputError({ file: displayName, line }, `expected ${header.length} columns (${header.join(',')}), got ${got}`);
    }
    throw new InputError({ file: displayName, line }, `malformed CSV: ${csvError.message.replace(/ (on|at) line \d+/, '')}`);
  }
  const first = records[0];
  if (!first) throw new InputError({ file: displayName, line: 1 }, `empty file: expected the header ${header.join(',')}`);
  const foundHeader = first.record.map((name) => name.trim());
  if (foundHeader.length !== header.length || foundHeader.some((name, i) => name !== header[i])) {
    throw new InputError({ file: displayName, line: first.info.lines }, `expected the header ${header.join(',')}, got ${foundHeader.join(',')}`);
  }
  const rows: CsvRow[] = [];
  let previousEnd = first.info.lines;
  let previousEmpty = first.info.empty_lines;
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!;
    rows.push({ line: previousEnd + 1 + (info.empty_lines - previousEmpty), values: record });
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
  }
  return rows;
}

/** Reads an input file, turning "not found" and "not readable" into an InputError that names it. */
export function readInputFile(path: string, displayName: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError({ file: displayName }, 'file not found');
    if (code === 'EISDIR') throw new InputError({ file: displayName }, 'expected a file, found a directory');
    throw new InputError({ file: displayName }, `cannot read the file (${code ?? String(error)})`);
  }
}
