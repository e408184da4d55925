// The batch page's CSV helpers (served as /portal/me/batch-csv.js, before batch-flow.js): reading the first rows
// of a file or of a download (only a head is read, whatever the size), checking a chosen file before it is sent,
// and showing rows as a small table. The page never parses a whole file: the facade streams it, the service scores it.
// A string in a .ts module (no backticks or dollar-brace inside but the CSV source): tsc copies nothing else into dist.
import { CSV_SOURCE } from './csv-source.js';

export const BATCH_CSV_JS = `"use strict";
window.BatchCsv = (function () {
  var HEAD_CHARS = 65536;
  var PREVIEW_ROWS = 5;

  // The facade's own CSV reader and writer (src/common/csv.ts): the page reads a file as the service will.
  ${CSV_SOURCE}

  // The first rows of a text (a BOM dropped, blank lines skipped). When the text is only the head of a file its last
  // row may be cut: it is never ended, so it is dropped. A malformed row throws CsvError naming its row and line.
  function rows(text, limit, whole) {
    var parser = new CsvParser();
    var records = parser.push(text);
    if (whole) records = records.concat(parser.end());
    return records.slice(0, limit).map(function (record) { return record.fields; });
  }

  // The head of a Blob or File as text (a File is read locally: nothing is sent).
  function headOf(blob) {
    var part = blob.slice(0, HEAD_CHARS);
    return part.text().then(function (text) { return { text: text, whole: blob.size <= HEAD_CHARS }; });
  }

  // The head of a download: the body is read until HEAD_CHARS, then the rest is cancelled (not downloaded).
  function headOfResponse(res) {
    if (!res.body || !res.body.getReader) return res.text().then(function (text) { return { text: text, whole: true }; });
    var reader = res.body.getReader(), decoder = new TextDecoder(), text = "";
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) return { text: text + decoder.decode(), whole: true };
        text += decoder.decode(chunk.value, { stream: true });
        if (text.length < HEAD_CHARS) return pump();
        reader.cancel();
        return { text: text, whole: false };
      });
    }
    return pump();
  }

  // The rows to show; none when the head is not valid CSV (the file's check says why; an output is the facade's own).
  function preview(head) {
    try {
      return rows(head.text, PREVIEW_ROWS + 1, head.whole);
    } catch (error) {
      if (error instanceof CsvError) return [];
      throw error;
    }
  }

  // What is wrong with a chosen file, in plain words, or null. A header without a column the service declares is
  // refused here, before the upload, as the gateway would refuse the job at submit; a file with rows of the wrong
  // width is left to the service, which says which row.
  function problemWith(file, head, requiredColumns) {
    if (file.size === 0) return "The file " + file.name + " is empty. Choose a CSV file with a header row and at least one data row.";
    if (/[\\u0000\\ufffd]/.test(head.text)) {
      return "The file " + file.name + " is not a CSV file: it holds binary data. Choose a text file of comma-separated values (UTF-8).";
    }
    var first;
    try {
      first = rows(head.text, 2, head.whole);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      return "The file " + file.name + " is not valid CSV: " + error.message + ". Fix it, or choose another file.";
    }
    if (first.length < 2) return "The file " + file.name + " has a header row but no data rows.";
    var missing = requiredColumns.filter(function (name) { return first[0].indexOf(name) < 0; });
    if (!missing.length) return null;
    return "The header row of " + file.name + " has no " + missing.join(", ") + " column, which the service needs (it has " +
      first[0].slice(0, 10).join(", ") + "). Add the column, or choose another file.";
  }

  function size(bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1048576) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  // Rows as a table: the first row as the header, each cell as text.
  function table(data) {
    var element = document.createElement("table");
    element.className = "preview";
    data.forEach(function (values, index) {
      var row = (index === 0 ? element.createTHead() : element.tBodies[0] || element.createTBody()).insertRow();
      values.forEach(function (value) {
        var cell = document.createElement(index === 0 ? "th" : "td");
        cell.textContent = value;
        row.appendChild(cell);
      });
    });
    return element;
  }

  return { rows: rows, headOf: headOf, headOfResponse: headOfResponse, preview: preview, problemWith: problemWith, size: size, table: table };
})();
`;
