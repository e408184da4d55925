// Incremental RFC 4180 CSV for BES, the one CSV reader and writer of the project (the reference service and the
// facade's batch adapters share it; it imports nothing): a parser fed text in arbitrary chunks (quoted fields with commas, doubled quotes
// and line breaks; CRLF, LF or CR; a leading BOM dropped) that holds at most one record, and a field/line writer.

export interface CsvRecord {
  fields: string[];
  /** Physical line (1-based) where the record starts. */
  line: number;
}

/** A malformed record: `row` counts records (0 = the header row), `line` is where the record starts. */
export class CsvError extends Error {
  constructor(readonly reason: string, readonly row: number, readonly line: number) {
    super(`${row === 0 ? 'header row' : `row ${row}`} (line ${line}): ${reason}`);
    this.name = 'CsvError';
  }
}

export const COMMA = 44;
export const QUOTE = 34;
export const CR = 13;
export const LF = 10;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: either the first of a doubled quote or the closing one. */
  QuoteInQuoted,
}

export class CsvParser {
  private state = State.FieldStart;
  private record: string[] = [];
  private field = '';
  private recordChars = 0;
  private recordQuoted = false;
  private skipLF = false;
  private bomChecked = false;
  private line = 1;
  private recordLine = 1;
  private emitted = 0;
  private out: CsvRecord[] = [];

  /** maxRecordChars bounds memory when a quote is never closed or a "line" is absurdly long. */
  constructor(private readonly maxRecordChars = 16 * 1024 * 1024) {}

  /** Parses the next piece of text; returns the records it completed. */
  push(text: string): CsvRecord[] {
    let i = 0;
    const n = text.length;
    if (!this.bomChecked && n > 0) {
      this.bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.skipLF) {
        this.skipLF = false;
        if (c === LF) {
          i++;
          continue;
        }
      }
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.recordQuoted = true;
            i++;
          } else this.state = State.Unquoted; // the same character is read again as part of an unquoted field
          break;
        case State.Unquoted: {
          let j = i;
          // A bare quote inside an unquoted field is kept as text, as most readers do.
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === COMMA || d === CR || d === LF) break;
            j++;
          }
          this.append(text, i, j);
          i = j < n ? this.delimiter(text.charCodeAt(j), j) : n;
          break;
        }
        case State.Quoted: {
          const j = text.indexOf('"', i);
          const end = j < 0 ? n : j;
          for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) this.line++;
          this.append(text, i, end);
          if (j < 0) i = n;
          else {
            this.state = State.QuoteInQuoted;
            i = j + 1;
          }
          break;
        }
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === COMMA || c === CR || c === LF) i = this.delimiter(c, i);
          else throw this.error(`unexpected character after a closing quote (a quote inside a quoted field must be doubled)`);
          break;
      }
    }
    const done = this.out;
    this.out = [];
    return done;
  }

  /** Ends the input; returns the last record if the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) throw this.error('unterminated quoted field (the closing quote is missing)');
    if (this.state !== State.FieldStart || this.record.length > 0) {
      this.endField();
      this.endRecord();
    }
    const done = this.out;
    this.out = [];
    return done;
  }

  /** Handles a comma or line break at text[i]; returns the next index. */
  private delimiter(c: number, i: number): number {
    this.endField();
    if (c === COMMA) {
      this.state = State.FieldStart;
      return i + 1;
    }
    this.line++;
    this.endRecord();
    this.skipLF = c === CR;
    return i + 1;
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    if (this.recordChars + this.field.length + (to - from) > this.maxRecordChars) {
      throw this.error(`the record is longer than ${this.maxRecordChars} characters (is a closing quote missing?)`);
    }
    this.field += text.slice(from, to);
  }

  private endField(): void {
    this.record.push(this.field);
    this.recordChars += this.field.length;
    this.field = '';
  }

  private endRecord(): void {
    const record = this.record;
    // A line with nothing on it is skipped (as pandas and most readers do); `""` is an explicit empty field.
    if (!(record.length === 1 && record[0] === '' && !this.recordQuoted)) {
      this.out.push({ fields: record, line: this.recordLine });
      this.emitted++;
    }
    this.record = [];
    this.recordChars = 0;
    this.recordQuoted = false;
    this.state = State.FieldStart;
    this.recordLine = this.line;
  }

  private error(reason: string): CsvError {
    return new CsvError(reason, this.emitted, this.recordLine);
  }
}

export const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** A field as RFC 4180 writes it: quoted (inner quotes doubled) when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line with its CRLF terminator (RFC 4180). */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
