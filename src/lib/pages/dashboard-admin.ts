// The dashboard's admin console (served as /manage/dashboard/dashboard-admin.js): the "Admin" tab. It calls only
// the management API, with the admin key the dashboard keeps in sessionStorage: subscriptions (create with both keys
// shown once, suspend, reactivate, cancel, regenerate a key, move to another product, delete), products (create,
// edit, delete; the API's 400 details shown next to the field each names), catalogue entries (view and edit as
// JSON; the API's 400 details listed) and the newest audit entries. Every piece of API data goes into the page as
// text (textContent, option labels, textarea values): never as markup. Plain ES2017 in a string, like the rest.
// Its parts load first: the shared kit (dashboard-admin-kit.ts), the subscriptions (dashboard-admin-subscriptions.ts)
// and the products (dashboard-admin-products.ts). This last one holds the catalogue and the audit, loads every
// area at once and gives the dashboard window.MlFacadeAdmin.
export const DASHBOARD_ADMIN_JS = String.raw`"use strict";
(function (Kit, Subscriptions, Products) {
  var AUDIT_LIMIT = 50;
  var $ = Kit.$, el = Kit.el, clear = Kit.clear, call = Kit.call, showError = Kit.showError, notice = Kit.notice;
  var when = Kit.when, emptyRow = Kit.emptyRow;

  // ---- catalogue ----------------------------------------------------------------------------------------------
  var editing = null;

  function openEntry(entry) {
    showError($("catalogue-error"));
    call("GET", "/manage/catalogue/" + encodeURIComponent(entry.workspace) + "/" + encodeURIComponent(entry.service)).then(function (full) {
      editing = { workspace: full.workspace, service: full.service };
      var body = {};
      Object.keys(full).forEach(function (k) { if (k !== "workspace" && k !== "service") body[k] = full[k]; });
      $("catalogue-editor-title").textContent = full.workspace + "/" + full.service;
      $("catalogue-json").value = JSON.stringify(body, null, 2);
      $("catalogue-editor").hidden = false;
      $("catalogue-json").focus();
    }, function (error) { showError($("catalogue-error"), error); });
  }

  $("catalogue-save").addEventListener("click", function () {
    if (!editing) return;
    var box = $("catalogue-error");
    var body;
    try {
      body = JSON.parse($("catalogue-json").value);
    } catch (e) {
      return showError(box, { message: "Not JSON: " + e.message, details: [] });
    }
    showError(box);
    var path = "/manage/catalogue/" + encodeURIComponent(editing.workspace) + "/" + encodeURIComponent(editing.service);
    call("PUT", path, body).then(function (entry) {
      notice("Saved catalogue entry " + entry.workspace + "/" + entry.service + ".");
      $("catalogue-editor").hidden = true;
      editing = null;
      return reload();
    }, function (error) { showError(box, error); });
  });
  $("catalogue-close").addEventListener("click", function () { $("catalogue-editor").hidden = true; editing = null; showError($("catalogue-error")); });

  function renderCatalogue(list) {
    var body = clear($("catalogue-body"));
    var sorted = (list || []).slice().sort(function (a, b) { return (a.workspace + "/" + a.service).localeCompare(b.workspace + "/" + b.service); });
    if (!sorted.length) return emptyRow(body, 4, "No catalogue entries.");
    sorted.forEach(function (e) {
      body.appendChild(el("tr", { "data-entry": e.workspace + "/" + e.service }, [
        el("td", { text: e.workspace + "/" + e.service }),
        el("td", { text: e.backend ? e.backend.kind : "" }),
        el("td", { className: "wrap", text: e.products && e.products.length ? e.products.join(", ") : "every product" }),
        el("td", {}, [el("button", { type: "button", "data-action": "open", text: "View / edit", onclick: function () { openEntry(e); } })]),
      ]));
    });
  }

  // ---- audit --------------------------------------------------------------------------------------------------
  function renderAudit(list) {
    var body = clear($("audit-body"));
    if (!list || !list.length) return emptyRow(body, 5, "No management changes yet.");
    list.forEach(function (a) {
      body.appendChild(el("tr", { "data-operation": a.operation, "data-outcome": a.outcome, "data-target": a.target }, [
        el("td", { text: when(a.at) }),
        el("td", { className: "id", text: a.actor }),
        el("td", { text: a.operation }),
        el("td", { className: "id", text: a.target }),
        el("td", {}, [el("span", { className: "state audit-" + a.outcome, text: a.outcome + " " + a.status + (a.errorCode ? " " + a.errorCode : "") })]),
      ]));
    });
  }

  // ---- loading ------------------------------------------------------------------------------------------------
  function reload() {
    return Promise.all([
      call("GET", "/manage/products"),
      call("GET", "/manage/subscriptions"),
      call("GET", "/manage/catalogue"),
      call("GET", "/manage/audit?limit=" + AUDIT_LIMIT),
    ]).then(function (r) {
      Products.render(r[0]);
      Subscriptions.render(r[1]);
      renderCatalogue(r[2]);
      renderAudit(r[3]);
      document.body.setAttribute("data-admin-loaded", new Date().toISOString());
    });
  }

  window.MlFacadeAdmin = {
    load: reload,
    /** What to do when the key is refused (the dashboard shows its sign-in screen). */
    onUnauthorized: Kit.onUnauthorized,
  };
})(window.MlFacadeAdminKit, window.MlFacadeAdminSubscriptions, window.MlFacadeAdminProducts);
`;
