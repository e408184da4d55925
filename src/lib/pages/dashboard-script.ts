// The dashboard's browser script (served as /manage/dashboard/dashboard.js): asks for the admin key once per tab
// (sessionStorage), reads GET /manage/usage and /manage/usage/jobs with it, fills the totals and the jobs table,
// and hands the series to the charts. Its "Admin" tab (#admin) shows the admin console instead (dashboard-admin.ts),
// which is loaded when opened and not refreshed on a timer (it holds forms). Plain ES2017 in a string: no build step
// exists for browser code.
export const DASHBOARD_JS = String.raw`"use strict";
(function () {
  var KEY = "ml-facade.adminKey";
  var RANGES = { "15m": { ms: 15 * 60000, interval: 1 }, "1h": { ms: 3600000, interval: 1 }, "24h": { ms: 86400000, interval: 15 } };
  var REFRESH_MS = 30000;
  var ACTIVE = { NotStarted: true, Running: true, Copying: true };
  var timer = null;
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

  function usageUrl(range, groupBy) {
    var to = new Date();
    var from = new Date(to.getTime() - range.ms);
    var url = "/manage/usage?from=" + encodeURIComponent(from.toISOString()) + "&to=" + encodeURIComponent(to.toISOString()) + "&interval=" + range.interval;
    return groupBy ? url + "&groupBy=" + groupBy : url;
  }

  function setTotal(id, value, text) {
    var el = $(id);
    el.setAttribute("data-value", value === null || value === undefined ? "" : String(value));
    el.textContent = text !== undefined ? text : value === null || value === undefined ? "–" : String(value);
  }

  function bytes(n) {
    if (!n) return "0 B";
    var units = ["B", "KB", "MB", "GB", "TB"];
    var i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
    return (n / Math.pow(1024, i)).toFixed(i === 0 ? 0 : 1) + " " + units[i];
  }

  function renderTotals(totals) {
    ["calls", "success", "blocked", "failed", "other"].forEach(function (k) { setTotal("total-" + k, totals[k]); });
    ["p50", "p95", "p99"].forEach(function (p) {
      var ms = totals.latency ? totals.latency[p] : null;
      setTotal("latency-" + p, ms, ms === null || ms === undefined ? "–" : ms.toFixed(ms < 10 ? 2 : 1));
    });
    setTotal("bytes-in", totals.bytesIn, bytes(totals.bytesIn));
    setTotal("bytes-out", totals.bytesOut, bytes(totals.bytesOut));
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }

  function subscriptionNames(report) {
    var names = {};
    (report.groups || []).forEach(function (g) { if (g.name) names[g.key] = g.name; });
    return names;
  }

  function renderJobs(jobs, names) {
    var body = $("jobs-body");
    body.textContent = "";
    var sorted = (jobs || []).slice().sort(function (a, b) {
      var active = (ACTIVE[b.state] ? 1 : 0) - (ACTIVE[a.state] ? 1 : 0);
      return active !== 0 ? active : String(b.createdAt).localeCompare(String(a.createdAt));
    }).slice(0, 50);
    if (sorted.length === 0) {
      var empty = body.insertRow();
      var cell = empty.insertCell();
      cell.colSpan = 7;
      cell.textContent = "No batch jobs yet.";
      return;
    }
    sorted.forEach(function (job) {
      var row = body.insertRow();
      row.setAttribute("data-job-id", job.id);
      var who = names[job.subscriptionId] ? names[job.subscriptionId] + " (" + String(job.subscriptionId).slice(0, 8) + ")" : job.subscriptionId;
      [job.id, who, job.workspace + "/" + job.service, job.state, when(job.createdAt), when(job.startTime), when(job.endTime)]
        .forEach(function (text, i) {
          var td = row.insertCell();
          if (i === 0) td.className = "id";
          if (i === 3) {
            var badge = document.createElement("span");
            badge.className = "state " + (ACTIVE[job.state] ? "active" : String(job.state));
            badge.textContent = text;
            td.appendChild(badge);
          } else {
            td.textContent = text === undefined || text === null ? "" : String(text);
          }
        });
    });
  }

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

  function load() {
    var key = sessionStorage.getItem(KEY);
    if (!key) return showLogin();
    $("login-panel").hidden = true;
    showView();
    if (view === "admin") return loadAdmin();
    setState("loading", "Loading…");
    var range = RANGES[$("range").value] || RANGES["1h"];
    return Promise.all([
      api(usageUrl(range), key),
      api(usageUrl(range, "subscription"), key),
      api(usageUrl(range, "operation"), key),
      api("/manage/usage/jobs", key)
    ]).then(function (r) {
      if (view !== "usage") return; // the Admin tab was opened meanwhile
      renderTotals(r[0].totals);
      window.MlFacadeCharts.render({ usage: r[0], subscriptions: r[1], operations: r[2] });
      renderJobs(r[3], subscriptionNames(r[1]));
      setState("ready", refreshText(new Date()));
      if (!timer) timer = setInterval(function () { if (view === "usage") load(); }, REFRESH_MS);
    }).catch(failed);
  }

  function switchTo(next) {
    if (next === view) return;
    view = next;
    history.replaceState(null, "", next === "admin" ? "#admin" : location.pathname + location.search);
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
  $("range").addEventListener("change", function () { load(); });
  $("tab-usage").addEventListener("click", function () { switchTo("usage"); });
  $("tab-admin").addEventListener("click", function () { switchTo("admin"); });
  window.MlFacadeAdmin.onUnauthorized(function (message) { sessionStorage.removeItem(KEY); showLogin(message); });
  load();
})();
`;
