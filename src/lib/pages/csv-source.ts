// The project's one CSV reader and writer (src/common/csv.ts), carried into the pages' scripts as source (the
// compiled code's Function.prototype.toString, with the constants it reads), so a page reads and writes CSV exactly
// as the facade does: one parser for one format. Paste it inside a script's function scope: it declares
// COMMA, QUOTE, CR, LF, NEEDS_QUOTES, CsvError, CsvParser and csvField there.
import { COMMA, CR, CsvError, CsvParser, LF, NEEDS_QUOTES, QUOTE, csvField } from '../../common/csv.js';

export const CSV_SOURCE = [
  `var COMMA = ${COMMA}, QUOTE = ${QUOTE}, CR = ${CR}, LF = ${LF};`,
  `var NEEDS_QUOTES = ${String(NEEDS_QUOTES)};`,
  CsvError.toString(),
  CsvParser.toString(),
  csvField.toString(),
].join('\n');
