// The batch page's CSV helpers (served as /portal/me/batch-csv.js, before batch-flow.js): reading the first rows
// of a file or of a download (only a head is read, whatever the size), checking a chosen file before it is sent,
// and showing rows as a small table. The page never parses a whole file: the facade streams it, the service scores it.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const BATCH_CSV_JS = `"use strict";
window.BatchCsv = (function () {
  var HEAD_CHARS = 65536;
  var PREVIEW_ROWS = 5;

  // RFC 4180 rows from the start of a text (quoted fields may hold commas, quotes and line breaks); blank lines are
  // skipped, as the services' parsers skip them. When the text is only the head of a file, its last row may be
  // cut: it is dropped.
  function rows(text, limit, whole) {
    var out = [], row = [], field = "", quoted = false, i = 0;
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    for (; i < text.length && out.length < limit; i++) {
      var ch = text[i];
      if (quoted) {
        if (ch !== '"') field += ch;
        else if (text[i + 1] === '"') { field += '"'; i++; }
        else quoted = false;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") { row.push(field); field = ""; }
      else if (ch === "\\n" || ch === "\\r") {
        if (ch === "\\r" && text[i + 1] === "\\n") i++;
        if (row.length || field) { row.push(field); out.push(row); }
        row = []; field = "";
      } else field += ch;
    }
    if (whole && out.length < limit && (field || row.length)) { row.push(field); out.push(row); }
    return out;
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

  function preview(head) { return rows(head.text, PREVIEW_ROWS + 1, head.whole); }

  // What is wrong with a chosen file, in plain words, or null. A header without a column the service declares is
  // refused here, before the upload, as the gateway would refuse the job at submit; a file with rows of the wrong
  // width is left to the service, which says which row.
  function problemWith(file, head, requiredColumns) {
    if (file.size === 0) return "The file " + file.name + " is empty. Choose a CSV file with a header row and at least one data row.";
    if (/[\\u0000\\ufffd]/.test(head.text)) {
      return "The file " + file.name + " is not a CSV file: it holds binary data. Choose a text file of comma-separated values (UTF-8).";
    }
    var first = rows(head.text, 2, head.whole);
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
