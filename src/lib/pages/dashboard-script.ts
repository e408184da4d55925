// The dashboard's browser script (served as /manage/dashboard/dashboard.js): asks for the admin key once per tab
// (sessionStorage) and sends it only as the x-admin-key header. The analytics view reads the usage API for the
// filter bar's range and filters (dashboard-filters.ts) and hands the answers to the totals, charts and tables
// (dashboard-analytics.ts, dashboard-charts.ts). Its "Admin" tab (#admin) shows the admin console instead
// (dashboard-admin.ts), which is loaded when opened and not refreshed on a timer (it holds forms). Plain ES2017 in
// a string: no build step exists for browser code.
export const DASHBOARD_JS = String.raw`"use strict";
(function () {
  var KEY = "ml-facade.adminKey";
  var REFRESH_MS = 30000;
  var LOG_LIMIT = 100;
  var Filters = window.MlFacadeFilters;
  var timer = null;
  var generation = 0; // answers to an older load (the filters changed meanwhile) are dropped
  var view = location.hash === "#admin" ? "admin" : "usage";
  function $(id) { return document.getElementById(id); }

  // Shown in the header once data is in: how often the page reloads it, and when it last did.
  function refreshText(at) {
    return "Refreshes every " + Math.round(REFRESH_MS / 1000) + " s \u00b7 last at " + at.toLocaleTimeString();
  }

  function setState(state, message) {
    document.body.setAttribute("data-state", state);
    $("status").textContent = message || "";
  }

  function showLogin(message) {
    if (timer) clearInterval(timer);
    timer = null;
    $("dashboard-panel").hidden = true;
    $("admin-panel").hidden = true;
    $("login-panel").hidden = false;
    $("login-error").textContent = message || "";
    setState("locked", "");
    $("admin-key").focus();
  }

  function api(path, key) {
    return fetch(path, { headers: { "x-admin-key": key, accept: "application/json" }, cache: "no-store" }).then(function (res) {
      if (res.status === 401) {
        var refused = new Error("The admin key was refused.");
        refused.unauthorized = true;
        throw refused;
      }
      return res.json().catch(function () { return null; }).then(function (body) {
        if (!res.ok) throw new Error(path.split("?")[0] + ": " + ((body && body.error && body.error.message) || "HTTP " + res.status));
        return body;
      });
    });
  }

  // A source the view can do without (quotas, the log, jobs, the filters' lists): its failure is shown in its own
  // panel as { failed: message } rather than failing the page. A refused key still signs out.
  function optional(promise) {
    return promise.catch(function (error) {
      if (error.unauthorized) throw error;
      return { failed: error.message };
    });
  }
  function listOrNull(answer) { return answer && !answer.failed && Array.isArray(answer) ? answer : null; }

  function showView() {
    document.body.setAttribute("data-view", view);
    $("tab-usage").setAttribute("aria-selected", String(view === "usage"));
    $("tab-admin").setAttribute("aria-selected", String(view === "admin"));
    $("dashboard-panel").hidden = view !== "usage";
    $("admin-panel").hidden = view !== "admin";
  }

  function failed(error) {
    if (error.unauthorized) {
      sessionStorage.removeItem(KEY);
      return showLogin(error.message);
    }
    setState("error", error.message);
  }

  function loadAdmin() {
    setState("loading", "Loading…");
    return window.MlFacadeAdmin.load().then(function () {
      setState("ready", "Admin console · loaded at " + new Date().toLocaleTimeString());
    }).catch(failed);
  }

  function loadUsage(key) {
    var range = Filters.resolve(new Date());
    Filters.show(range);
    if (!range.ok) return Promise.resolve(setState("error", "Fix the range to load data: " + range.message));
    var mine = ++generation;
    var groupBy = Filters.state().groupBy;
    var usage = function (by) { return api("/manage/usage?" + Filters.query(range, by ? { groupBy: by } : null), key); };
    var bySubscription = usage("subscription");
    var byOperation = usage("operation");
    var grouped = groupBy === "subscription" ? bySubscription : groupBy === "operation" ? byOperation : usage(groupBy);
    setState("loading", "Loading…");
    return Promise.all([
      usage(), bySubscription, byOperation, grouped,
      optional(api("/manage/usage/quotas", key)),
      optional(api("/manage/usage/calls?" + Filters.callsQuery(range, LOG_LIMIT), key)),
      optional(api("/manage/usage/jobs?limit=50", key)),
      optional(api("/manage/subscriptions", key)), optional(api("/manage/products", key)), optional(api("/manage/catalogue", key)),
    ]).then(function (r) {
      if (view !== "usage" || mine !== generation) return; // the Admin tab was opened, or the filters changed, meanwhile
      window.MlFacadeAnalytics.renderTotals(r[0].totals);
      window.MlFacadeCharts.render({ usage: r[0], subscriptions: r[1], operations: r[2] });
      window.MlFacadeAnalytics.render({ grouped: r[3], groupBy: groupBy, bySubscription: r[1], quotas: r[4], calls: r[5], jobs: r[6], subscriptions: listOrNull(r[7]) });
      Filters.fillOptions({
        subscriptions: listOrNull(r[7]), products: listOrNull(r[8]), catalogue: listOrNull(r[9]),
        operations: (r[2].groups || []).map(function (g) { return g.key; }),
      });
      Filters.show(range);
      document.body.setAttribute("data-usage-loaded", String(mine)); // tells a waiting test that this load is shown
      setState("ready", refreshText(new Date()));
      if (!timer) timer = setInterval(function () { if (view === "usage") load(); }, REFRESH_MS);
    }).catch(function (error) { if (mine === generation) failed(error); });
  }

  function load() {
    var key = sessionStorage.getItem(KEY);
    if (!key) return showLogin();
    $("login-panel").hidden = true;
    showView();
    return view === "admin" ? loadAdmin() : loadUsage(key);
  }

  function switchTo(next) {
    if (next === view) return;
    view = next;
    history.replaceState(null, "", next === "admin" ? "#admin" : Filters.hash() || location.pathname + location.search);
    load();
  }

  $("login").addEventListener("submit", function (event) {
    event.preventDefault();
    var key = $("admin-key").value.trim();
    if (!key) return;
    sessionStorage.setItem(KEY, key);
    $("admin-key").value = "";
    load();
  });
  $("sign-out").addEventListener("click", function () { sessionStorage.removeItem(KEY); showLogin(); });
  $("refresh").addEventListener("click", function () { load(); });
  $("tab-usage").addEventListener("click", function () { switchTo("usage"); });
  $("tab-admin").addEventListener("click", function () { switchTo("admin"); });
  Filters.bind(function () { if (view === "usage" && sessionStorage.getItem(KEY)) load(); });
  window.MlFacadeAdmin.onUnauthorized(function (message) { sessionStorage.removeItem(KEY); showLogin(message); });
  load();
})();
`;
