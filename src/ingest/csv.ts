import { createReadStream, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { CsvError, Parser, type Info } from 'csv-parse';
import { InputError } from '../errors.js';

/** One data row of a CSV file, with the 1-based line it starts on (quoted fields may span lines). */
export interface CsvRow {
  line: number;
  values: string[];
}

/** Receives each data row as it is parsed: its fields and the line it starts on. */
export type CsvRowHandler = (values: string[], line: number) => void;

/** Told how many bytes of the file were just read, for a progress bar. */
export type BytesRead = (bytes: number) => void;

/**
 * Streams a CSV file through csv-parse and checks its header: every row must have exactly the header's columns.
 * Memory stays flat whatever the file's size; `displayName` is the path shown in errors.
 */
export async function forEachCsvRow(
  path: string,
  displayName: string,
  header: readonly string[],
  onRow: CsvRowHandler,
  onBytes: BytesRead = () => undefined,
): Promise<void> {
  const position = new RecordPosition();
  let headerChecked = false;
  const parser = new RecordParser((record, info) => {
    const line = position.next(record, info);
    if (headerChecked) onRow(record, line);
    else {
      checkHeader(record, header, displayName, line);
      headerChecked = true;
    }
  });
  const file = createReadStream(path);
  file.on('data', (chunk) => onBytes(chunk.length));
  try {
    await pipeline(file, parser);
  } catch (error) {
    if (error instanceof CsvError) throw await csvInputError(error, path, displayName, header, position, parser.options.record_delimiter);
    if (isFileError(error)) throw fileInputError(error, displayName);
    throw error;
  }
  if (position.isEmpty()) throw new InputError({ file: displayName, line: 1 }, `empty file: expected the header ${header.join(',')}`);
}

/**
 * csv-parse's stream parser, handing each record to `onRecord` the moment it is parsed, with the parser's live
 * `info`. Nothing is buffered downstream, and no per-record copy of `info` is made (the `info` and `on_record`
 * options copy it for every record, which took a third of the parse time).
 */
class RecordParser extends Parser {
  private failed = false;

  constructor(private readonly onRecord: (record: string[], info: Info) => void) {
    super({ bom: true, skip_empty_lines: true });
    // Nothing is pushed downstream but the end, which must still flow for the stream to finish.
    this.resume();
  }

  override push(record: unknown): boolean {
    if (record === null) return super.push(null);
    if (this.failed) return true;
    try {
      this.onRecord(record as string[], this.info);
    } catch (error) {
      this.failed = true;
      this.destroy(error as Error);
    }
    return true;
  }
}

/** Every data row of a CSV file, for files small enough to hold (TMDB-5000, movies.csv). */
export async function readCsv(path: string, displayName: string, header: readonly string[], onBytes?: BytesRead): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  await forEachCsvRow(path, displayName, header, (values, line) => rows.push({ line, values }), onBytes);
  return rows;
}

function checkHeader(record: string[], header: readonly string[], displayName: string, line: number): void {
  const found = record.map((name) => name.trim());
  if (found.length !== header.length || found.some((name, i) => name !== header[i])) {
    throw new InputError({ file: displayName, line }, `expected the header ${header.join(',')}, got ${found.join(',')}`);
  }
}

/**
 * Where records start. A record starts on the line after the previous one ends, plus the empty lines skipped in
 * between. csv-parse reports the line a record ends on, but counts a CRLF inside a quoted field as two lines, so
 * a record that spans lines is measured by the line breaks in its own fields instead.
 */
class RecordPosition {
  private records = 0;
  /** The end line of the last complete record: exact, and as csv-parse counted it. */
  private lastLine = 0;
  private lastCsvLine = 0;
  private lastEmptyLines = 0;
  /** The byte offset just past the last complete record. */
  lastByte = 0;

  /** The start line of the record that `info` describes; moves past it. */
  next(record: string[], info: Info): number {
    const line = this.startOfNext(info);
    const spansLines = info.lines !== this.csvStartOfNext(info);
    this.records++;
    this.lastLine = spansLines ? line + lineEndings(record.join(',')).length : line;
    this.lastCsvLine = info.lines;
    this.lastEmptyLines = info.empty_lines;
    this.lastByte = info.bytes;
    return line;
  }

  /** The line the record after the last complete one starts on, given the empty lines counted so far. */
  startOfNext(info: Pick<Info, 'empty_lines'>): number {
    return this.lastLine + 1 + (info.empty_lines - this.lastEmptyLines);
  }

  private csvStartOfNext(info: Pick<Info, 'empty_lines'>): number {
    return this.lastCsvLine + 1 + (info.empty_lines - this.lastEmptyLines);
  }

  /** A line that csv-parse names inside the record after the last complete one, corrected. */
  lineAt(info: Pick<Info, 'lines' | 'empty_lines'>): number {
    return this.startOfNext(info) + (info.lines - this.csvStartOfNext(info));
  }

  get lineAfterLast(): number {
    return this.lastLine + 1;
  }

  isEmpty(): boolean {
    return this.records === 0;
  }
}

/** The fields csv-parse attaches to its errors. */
interface CsvErrorContext {
  lines: number;
  empty_lines: number;
  record?: string[];
}

/** A csv-parse error as an InputError at the line where the problem is. */
async function csvInputError(
  error: CsvError,
  path: string,
  displayName: string,
  header: readonly string[],
  position: RecordPosition,
  recordDelimiters: Buffer[],
): Promise<InputError> {
  const context = error as unknown as CsvErrorContext;
  const recordLine = position.startOfNext(context);
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const delimiter = recordDelimiters[0]?.toString() ?? '\n';
    const mixed = foreignLineBreak(context.record ?? [], delimiter);
    if (mixed) {
      return new InputError(
        { file: displayName, line: recordLine + mixed.linesBefore },
        `mixed line endings: this line ends with ${LINE_ENDING_NAMES[mixed.ending]}, but the lines before it end with ${LINE_ENDING_NAMES[delimiter]}`,
      );
    }
    const got = context.record?.length ?? /got (\d+)/.exec(error.message)?.[1] ?? 'a different number of';
    return new InputError({ file: displayName, line: recordLine }, `expected ${header.length} columns (${header.join(',')}), got ${got}`);
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const line = await unclosedQuoteLine(path, position.lastByte, position.lineAfterLast);
    return new InputError({ file: displayName, line }, 'malformed CSV: Quote Not Closed: the quote that opens a field on this line is never closed');
  }
  return new InputError({ file: displayName, line: position.lineAt(context) }, `malformed CSV: ${error.message.replace(/ (on|at) line \d+/, '')}`);
}

const LINE_ENDING_NAMES: Record<string, string> = { '\r\n': 'CRLF', '\n': 'LF', '\r': 'CR' };

/** The line breaks in a text, in order: CRLF, LF or CR each. */
function lineEndings(text: string): string[] {
  return text.match(/\r\n|\r|\n/g) ?? [];
}

/**
 * A line break inside a record's fields that is not the file's record delimiter (a lone LF in a CRLF file, a CR in
 * an LF file): csv-parse then reads two lines as one record, and the column count is off. Returns that break's
 * ending and how many line breaks of the record come before it.
 */
function foreignLineBreak(record: string[], delimiter: string): { ending: string; linesBefore: number } | null {
  const endings = lineEndings(record.join(','));
  const linesBefore = endings.findIndex((ending) => ending !== delimiter);
  return linesBefore === -1 ? null : { ending: endings[linesBefore]!, linesBefore };
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The line of the quote that csv-parse found still open at the end of the file. Reading on from the start of the
 * record it failed in, that is the last quote that opened a field (a doubled quote inside a field does not count).
 */
async function unclosedQuoteLine(path: string, fromByte: number, fromLine: number): Promise<number> {
  let line = fromLine;
  let openedOn = fromLine;
  let quoting = false;
  let closedJustNow = false;
  let previous = -1;
  for await (const chunk of createReadStream(path, { start: fromByte }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === QUOTE && quoting) {
        quoting = false;
        closedJustNow = true;
      } else {
        if (byte === QUOTE) {
          quoting = true;
          if (!closedJustNow) openedOn = line;
        }
        closedJustNow = false;
        if (byte === CR || (byte === LF && previous !== CR)) line++;
      }
      previous = byte;
    }
  }
  return openedOn;
}

/** An error of a file system call (open, read), as opposed to a bug. */
function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return typeof (error as NodeJS.ErrnoException | undefined)?.syscall === 'string';
}

/** "Not found" and "not readable" as an InputError that names the file. */
function fileInputError(error: NodeJS.ErrnoException, displayName: string): InputError {
  if (error.code === 'ENOENT') return new InputError({ file: displayName }, 'file not found');
  if (error.code === 'EISDIR') return new InputError({ file: displayName }, 'expected a file, found a directory');
  return new InputError({ file: displayName }, `cannot read the file (${error.code ?? String(error)})`);
}

/** Reads a whole input file, turning "not found" and "not readable" into an InputError that names it. */
export function readInputFile(path: string, displayName: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw fileInputError(error as NodeJS.ErrnoException, displayName);
  }
}
