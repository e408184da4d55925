// The dashboard's tables and their CSV export (served as /manage/dashboard/dashboard-tables.js). A table is a list
// of columns, each with a raw value (what the CSV gets: numbers unformatted, times as ISO) and optionally how a
// person reads it (thousands separators, local times, a bar). The page shows and the CSV writes the same rows and
// columns from one model, so an export is exactly what is on screen. One CSV writer for every table, the facade's own:
// RFC 4180 (CRLF, a header row, fields with a comma, quote or line break quoted and quotes doubled), downloaded through a
// Blob URL, so it works offline. Text that a spreadsheet would run as a formula is defused (see field). API data
// goes into the page as text only (textContent), never as markup.
import { CSV_SOURCE } from './csv-source.js';

export const DASHBOARD_TABLES_JS = String.raw`"use strict";
(function () {
  var tables = {};

  // The facade's own CSV writer (src/common/csv.ts): one writer for the format.
  ${CSV_SOURCE}

  /**
   * A raw value as a CSV field: empty for none, numbers unformatted. Text a spreadsheet would run as a formula
   * (starting with =, +, -, @, a tab or a carriage return: a request log holds paths anyone can send) gets a
   * leading apostrophe, as OWASP advises for CSV exports; numbers are never touched.
   */
  function field(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "number") return isFinite(value) ? String(value) : "";
    var text = String(value);
    return csvField(/^[=+\-@\t\r]/.test(text) ? "'" + text : text);
  }

  /** The CSV text of rows under columns (column.value gives each raw field). */
  function toCsv(columns, rows) {
    var lines = [columns.map(function (c) { return field(c.label); }).join(",")];
    rows.forEach(function (row) { lines.push(columns.map(function (c) { return field(c.value(row)); }).join(",")); });
    return lines.join("\r\n") + "\r\n";
  }

  /** "2026-12-02T0300Z": a UTC minute that sorts and is safe in a file name. */
  function fileStamp(at) {
    return at.toISOString().slice(0, 16).replace(":", "") + "Z";
  }

  function download(fileName, text) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoked a little later: the browser reads the Blob after the click returns.
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // How a raw value reads on screen, by the column's kind.
  var FORMATS = {
    count: function (v) { return typeof v === "number" ? v.toLocaleString() : "\u2013"; },
    ms: function (v) { return typeof v === "number" ? v.toLocaleString(undefined, { maximumFractionDigits: v < 10 ? 2 : 1 }) : "\u2013"; },
    percent: function (v) { return typeof v === "number" ? v.toLocaleString(undefined, { maximumFractionDigits: 1 }) + " %" : "\u2013"; },
    time: function (v) { return v ? new Date(v).toLocaleString() : ""; },
    // A time that is mostly today's (a log, a renewal): the time alone when it is today, else a short date
    // and the minute (the exact instant is in the cell's title and the CSV).
    clock: function (v) {
      if (!v) return "";
      var d = new Date(v);
      return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString()
        : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    },
    text: function (v) { return v === null || v === undefined ? "" : String(v); },
  };
  var NUMERIC = { count: true, ms: true, percent: true };

  function cell(column, row) {
    var td = document.createElement("td");
    var value = column.value(row);
    var kind = column.kind || "text";
    td.setAttribute("data-col", column.key);
    td.setAttribute("data-value", value === null || value === undefined ? "" : String(value));
    td.className = [NUMERIC[kind] ? "num" : "", column.className || ""].join(" ").trim();
    if (column.node) td.appendChild(column.node(row, value));
    else td.textContent = column.text ? column.text(row, value) : FORMATS[kind](value);
    if (column.title) td.title = column.title(row) || "";
    return td;
  }

  function header(columns) {
    var tr = document.createElement("tr");
    columns.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = c.label;
      th.setAttribute("data-col", c.key);
      if (NUMERIC[c.kind]) th.className = "num";
      tr.appendChild(th);
    });
    return tr;
  }

  /**
   * One table: spec = { id (of the <table>), fileName() (without the stamp), empty (text when no rows),
   * rowAttributes(row)? }. render(columns, rows) shows them and keeps them for the export.
   */
  function define(spec) {
    var table = { spec: spec, columns: [], rows: [] };
    var element = document.getElementById(spec.id);
    table.render = function (columns, rows) {
      table.columns = columns;
      table.rows = rows;
      var head = element.tHead || element.createTHead();
      head.textContent = "";
      head.appendChild(header(columns));
      var body = element.tBodies[0] || element.createTBody();
      body.textContent = "";
      if (!rows.length) {
        var empty = body.insertRow();
        var td = empty.insertCell();
        td.colSpan = columns.length;
        td.className = "empty";
        td.textContent = spec.empty;
      }
      rows.forEach(function (row) {
        var tr = body.insertRow();
        var attributes = spec.rowAttributes ? spec.rowAttributes(row) : {};
        Object.keys(attributes).forEach(function (name) { tr.setAttribute(name, String(attributes[name])); });
        columns.forEach(function (c) { tr.appendChild(cell(c, row)); });
      });
      element.setAttribute("data-rows", String(rows.length));
    };
    table.exportCsv = function () {
      download(spec.fileName() + "-" + fileStamp(new Date()) + ".csv", toCsv(table.columns, table.rows));
    };
    tables[spec.id] = table;
    return table;
  }

  // Every "Export CSV" button names its table: <button data-export-for="usage-table">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-export-for]") : null;
    var table = button && tables[button.getAttribute("data-export-for")];
    if (table) table.exportCsv();
  });

  window.MlFacadeTables = { define: define, toCsv: toCsv, fileStamp: fileStamp, tables: tables };
})();
`;
