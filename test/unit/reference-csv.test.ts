// The BES CSV parser and writer (src/reference/bes/csv.ts): RFC 4180 quoting, line endings, BOM, errors with row
// and line numbers, and the same records whatever the chunk boundaries.
import { describe, expect, it } from 'vitest';
import { CsvError, CsvParser, csvField, csvLine } from '../../src/common/csv.js';

function parse(chunks: readonly string[], maxRecordChars?: number): string[][] {
  const parser = new CsvParser(maxRecordChars);
  const out: string[][] = [];
  for (const chunk of chunks) for (const r of parser.push(chunk)) out.push(r.fields);
  for (const r of parser.end()) out.push(r.fields);
  return out;
}

function parseError(text: string): CsvError {
  try {
    parse([text]);
  } catch (err) {
    if (err instanceof CsvError) return err;
    throw err;
  }
  throw new Error('expected a CsvError');
}

const TRICKY =
  '\uFEFFid,Col2,note\r\n' +
  '1,"Hello, world","say ""hi"""\r\n' +
  '2,"line one\nline two\r\nline three",plain\n' +
  '3,,""\r' +
  '4,caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude00,"x"\n' +
  '\n' +
  '5,"",a"b\r\n' +
  '6,"""quoted""",last';

const EXPECTED = [
  ['id', 'Col2', 'note'],
  ['1', 'Hello, world', 'say "hi"'],
  ['2', 'line one\nline two\r\nline three', 'plain'],
  ['3', '', ''],
  ['4', 'caf\u00e9 \u65e5\u672c\u8a9e \ud83d\ude00', 'x'],
  ['5', '', 'a"b'],
  ['6', '"quoted"', 'last'],
];

describe('CsvParser', () => {
  it('parses quoted fields with commas, doubled quotes and line breaks, CRLF/LF/CR, a BOM and a blank line', () => {
    expect(parse([TRICKY])).toEqual(EXPECTED);
  });

  it('gives the same records whatever the chunk boundaries (every split point, and one character at a time)', () => {
    for (let i = 0; i <= TRICKY.length; i++) {
      expect(parse([TRICKY.slice(0, i), TRICKY.slice(i)]), `split at ${i}`).toEqual(EXPECTED);
    }
    for (let i = 0; i <= TRICKY.length; i++) {
      for (const j of [i + 1, i + 2, i + 5]) {
        if (j > TRICKY.length) continue;
        expect(parse([TRICKY.slice(0, i), TRICKY.slice(i, j), TRICKY.slice(j)]), `split at ${i}, ${j}`).toEqual(EXPECTED);
      }
    }
    expect(parse(Array.from(TRICKY))).toEqual(EXPECTED);
  });

  it('handles a trailing line break, a missing one, and a trailing empty field', () => {
    expect(parse(['a,b\r\n1,2\r\n'])).toEqual([['a', 'b'], ['1', '2']]);
    expect(parse(['a,b\n1,2'])).toEqual([['a', 'b'], ['1', '2']]);
    expect(parse(['a,b\n1,'])).toEqual([['a', 'b'], ['1', '']]);
    expect(parse(['a\n""\n'])).toEqual([['a'], ['']]);
    expect(parse(['a\n"x"'])).toEqual([['a'], ['x']]);
    expect(parse([''])).toEqual([]);
    expect(parse(['\uFEFF'])).toEqual([]);
  });

  it('reports the line where a record starts', () => {
    const parser = new CsvParser();
    const lines = [...parser.push('h\n"a\nb"\r\n\nc\r\nd'), ...parser.end()].map((r) => r.line);
    expect(lines).toEqual([1, 2, 5, 6]);
  });

  it('fails on an unterminated quote with the row and line where the record starts', () => {
    const err = parseError('Col2\nok\n"fine"\n"never closed\nmore,text\n');
    expect(err.reason).toContain('unterminated');
    expect([err.row, err.line]).toEqual([3, 4]);
    expect(err.message).toMatch(/^row 3 \(line 4\): unterminated/);
  });

  it('fails on text after a closing quote (an inner quote that was not doubled)', () => {
    const err = parseError('Col2,x\n"he said "hi" there",1\n');
    expect([err.row, err.line]).toEqual([1, 2]);
    expect(err.reason).toContain('doubled');
    expect(parseError('"Col2" ,x\n').message).toMatch(/^header row \(line 1\)/);
  });

  it('bounds the memory a record can take', () => {
    expect(() => parse(['Col2\n"', 'x'.repeat(100), 'y'.repeat(100)], 150)).toThrow(/longer than 150 characters/);
    expect(parse(['Col2\n', 'x'.repeat(150)], 150)).toEqual([['Col2'], ['x'.repeat(150)]]);
  });
});

describe('csv writer', () => {
  it('quotes only the fields that need it and doubles inner quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('')).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('caf\u00e9')).toBe('caf\u00e9');
    expect(csvLine(['a', 'b,c', '1'])).toBe('a,"b,c",1\r\n');
  });

  it('round-trips through the parser', () => {
    const rows = EXPECTED.slice(1).concat([[' x ', '\r\n', '"']]);
    expect(parse([rows.map(csvLine).join('')])).toEqual(rows);
  });
});
