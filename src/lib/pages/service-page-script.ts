// One service's page script (served as /portal/me/service-page.js, after subscriber-session.js): finds this page's
// service among those the subscriber's product allows (the names come from the URL), reads its anonymous swagger.json,
// and shows what it does, its schemas, an example to edit and try, and the code samples — from codeSamples, embedded
// here as source, so the samples a user copies are the ones the tests run. "Try it" sends the body with the
// subscriber's key. A string in a .ts module (no backticks or dollar-brace inside but the embedded parts): tsc copies
// nothing else into dist.
import { codeSamples } from './code-samples.js';
import { SERVICES_COMMON_JS } from './services-common-script.js';

export const SERVICE_PAGE_JS = `"use strict";
(function () {
${SERVICES_COMMON_JS}
  ${codeSamples.toString()}

  var service = null; // this page's service: its entry, description, and the body the samples use
  var selected = "curl"; // the samples' tab shown

  function schemaTables(box, tables) {
    box.textContent = "";
    tables.forEach(function (t) {
      box.appendChild(el("h3", "", t.name));
      if (t.open) return box.appendChild(el("p", "muted", "Its document names no columns: any columns are accepted."));
      var wrap = el("div", "table-scroll");
      var table = el("table");
      table.setAttribute("data-port", t.name);
      table.createTHead().insertRow().innerHTML = "<th>Column</th><th>Type</th>";
      var body = table.createTBody();
      t.columns.forEach(function (c) {
        var row = body.insertRow();
        row.setAttribute("data-column", c.name);
        row.appendChild(el("td", "mono", c.name)).title = c.description || "";
        row.appendChild(el("td", "type", c.type));
      });
      wrap.appendChild(table);
      box.appendChild(wrap);
    });
  }

  function renderParameters(parameters) {
    $("parameters-panel").hidden = !parameters.length;
    var body = $("parameters");
    body.textContent = "";
    parameters.forEach(function (p) {
      var row = body.insertRow();
      var range = p.minimum !== undefined || p.maximum !== undefined ? (p.minimum !== undefined ? p.minimum : "") + " – " + (p.maximum !== undefined ? p.maximum : "") : "";
      [[p.name, "mono"], [p.type, "type"], [p.default !== undefined ? JSON.stringify(p.default) : "", "mono"], [range, ""], [p.description || "", "reason"]]
        .forEach(function (cell) { row.appendChild(el("td", cell[1], cell[0])); });
    });
  }

  function renderSamples() {
    var withKey = $("key-in-samples").checked;
    var samples = codeSamples({ service: service.name, url: service.description.url, keyHeader: service.description.keyHeader, key: withKey ? S.key() : "", body: service.body });
    var tabs = $("sample-tabs"), box = $("samples");
    tabs.textContent = "";
    box.textContent = "";
    samples.forEach(function (sample) {
      var tab = el("button", "", sample.label);
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("data-language", sample.language);
      tab.setAttribute("aria-selected", String(sample.language === selected));
      tab.addEventListener("click", function () { selected = sample.language; renderSamples(); });
      tabs.appendChild(tab);
      var panel = el("div", "sample");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("data-sample", sample.language);
      panel.hidden = sample.language !== selected;
      var bar = el("div", "sample-bar");
      bar.appendChild(el("span", "mono", sample.fileName));
      var copy = el("button", "copy", "Copy");
      copy.type = "button";
      copy.setAttribute("data-copy", sample.language);
      bar.appendChild(copy);
      var pre = el("pre", "code");
      var code = el("code", "", sample.text);
      pre.appendChild(code);
      copy.addEventListener("click", function () { copyText(copy, code); });
      panel.appendChild(bar);
      panel.appendChild(pre);
      box.appendChild(panel);
    });
  }

  function copyText(button, code) {
    var done = function () { button.textContent = "Copied"; };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { if (document.execCommand("copy")) return done(); } catch (e) { /* selected: the user copies */ }
      button.textContent = "Selected: press Ctrl+C";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(code.textContent).then(done, fallback);
    else fallback();
  }

  // The body box drives the samples: while it holds valid JSON they follow it; otherwise they keep the last valid body.
  function onBodyEdited() {
    try {
      service.body = JSON.parse($("example-body").value);
      $("try-it").disabled = false;
      $("try-note").textContent = "Sends it with your key: one call of your product's limits.";
      renderSamples();
    } catch (e) {
      $("try-it").disabled = true;
      $("try-note").textContent = "Not valid JSON: " + e.message;
    }
  }

  function tryIt() {
    var answer = $("try-answer");
    answer.hidden = false;
    answer.className = "answer";
    answer.textContent = "Sending…";
    var started = performance.now();
    S.send(service.description.path, { method: "POST", body: JSON.stringify(service.body), contentType: "application/json" })
      .then(function (res) { return res.text(); })
      .then(function (text) {
        var ms = Math.round(performance.now() - started);
        var shown = text;
        try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON: shown as it came */ }
        answer.textContent = "200 OK in " + ms + " ms\\n" + shown;
        answer.setAttribute("data-status", "200");
      }, function (error) {
        answer.className = "answer failed";
        answer.textContent = "HTTP " + error.status + ": " + S.describe(error);
        answer.setAttribute("data-status", String(error.status));
      });
  }

  function renderService(entry, doc) {
    var d = describeService(doc, location.origin);
    service = { entry: entry, name: entry.workspace + "/" + entry.service, description: d, body: d.body };
    document.title = d.title + " — " + document.title;
    $("service-title").textContent = entry.title || d.title;
    $("service-name").textContent = service.name;
    $("service-description").textContent = entry.description || d.description;
    var ops = $("service-operations");
    ops.textContent = "";
    ops.appendChild(badges(entry.operations));
    $("swagger-link").href = entry.swaggerUrl;
    var batch = entry.operations.indexOf("bes") >= 0;
    $("service-batch-link").hidden = !batch;
    if (batch) $("service-batch-link").href = "/portal/me/batch#" + enc(entry.workspace) + "/" + enc(entry.service);
    schemaTables($("inputs"), d.inputs);
    schemaTables($("outputs"), d.outputs);
    renderParameters(d.parameters);
    $("rrs-parts").hidden = entry.operations.indexOf("rrs") < 0;
    $("endpoint").textContent = "POST " + d.url;
    $("example-body").value = JSON.stringify(d.body, null, 2);
    $("example-body").rows = Math.min(24, $("example-body").value.split("\\n").length + 1);
    renderSamples();
    $("service").hidden = false;
  }

  function notAllowed(workspace, name) {
    $("service").hidden = true;
    $("not-allowed").hidden = false;
    $("not-allowed").textContent = "Your product does not include the service " + workspace + "/" + name + " (or there is no such service). " +
      "See the services it includes.";
  }

  function loadService(entries) {
    var parts = location.pathname.split("/");
    var workspace = decodeURIComponent(parts[4] || ""), name = decodeURIComponent(parts[5] || "");
    var entry = entries.filter(function (e) { return e.workspace.toLowerCase() === workspace.toLowerCase() && e.service.toLowerCase() === name.toLowerCase(); })[0];
    if (!entry) return notAllowed(workspace, name);
    return documentOf(entry).then(function (doc) { renderService(entry, doc); });
  }

  $("key-in-samples").addEventListener("change", renderSamples);
  $("example-body").addEventListener("input", onBodyEdited);
  $("try-it").addEventListener("click", tryIt);
  start(loadService);
})();
`;
