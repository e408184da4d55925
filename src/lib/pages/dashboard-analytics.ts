// The analytics view's numbers and tables (served as /manage/dashboard/dashboard-analytics.js): the totals (401,
// 403 and 429 apart from the other outcomes; gateway and backend mean time), usage grouped by the chosen dimension,
// quota used per subscription, the request log and the batch jobs. Each table is a MlFacadeTables model, so its
// "Export CSV" writes what it shows. A subscription reads as "name (id…)" in the log and jobs, whose CSV keeps
// the full id; the tables about subscriptions themselves give the name and the id their own columns.
export const DASHBOARD_ANALYTICS_JS = String.raw`"use strict";
(function () {
  var Tables = window.MlFacadeTables;
  var ACTIVE = { NotStarted: true, Running: true, Copying: true };
  var JOBS_SHOWN = 50;
  var names = {};
  function $(id) { return document.getElementById(id); }
  function number(v) { return typeof v === "number" && isFinite(v) ? v : null; }
  function who(id) { return names[id] ? names[id] + " (" + String(id).slice(0, 8) + ")" : String(id || ""); }

  // ---- totals -------------------------------------------------------------------------------------------------
  function setTotal(id, value, text) {
    var el = $(id);
    el.setAttribute("data-value", value === null || value === undefined ? "" : String(value));
    el.textContent = text !== undefined ? text : value === null || value === undefined ? "\u2013" : value.toLocaleString();
  }
  function msText(ms) { return ms === null || ms === undefined ? "\u2013" : ms.toFixed(ms < 10 ? 2 : 1); }
  function bytes(n) {
    if (!n) return "0 B";
    var units = ["B", "KB", "MB", "GB", "TB"];
    var i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
    return (n / Math.pow(1024, i)).toFixed(i === 0 ? 0 : 1) + " " + units[i];
  }

  function renderTotals(totals) {
    ["calls", "success", "blocked", "unauthorized", "forbidden", "throttled", "failed", "other"].forEach(function (k) { setTotal("total-" + k, number(totals[k])); });
    ["p50", "p95", "p99"].forEach(function (p) { var ms = totals.latency ? number(totals.latency[p]) : null; setTotal("latency-" + p, ms, msText(ms)); });
    var timing = totals.timing || {};
    setTotal("timing-gateway", number(timing.gatewayMeanMs), msText(number(timing.gatewayMeanMs)));
    setTotal("timing-backend", number(timing.backendMeanMs), msText(number(timing.backendMeanMs)));
    setTotal("bytes-in", totals.bytesIn, bytes(totals.bytesIn));
    setTotal("bytes-out", totals.bytesOut, bytes(totals.bytesOut));
  }

  // ---- columns ------------------------------------------------------------------------------------------------
  function count(key, label) { return { key: key, label: label, kind: "count", value: function (r) { return number(r[key]); } }; }
  function ms(key, label, pick) { return { key: key, label: label, kind: "ms", value: function (r) { return number(pick(r)); } }; }
  function text(key, label, pick, className) { return { key: key, label: label, value: pick, className: className }; }
  // A subscription id beside its name: its first 8 characters on screen (the whole id in the title and the CSV).
  function shortId(key, label, pick) {
    return { key: key, label: label, value: pick, className: "id", text: function (r) { var id = String(pick(r)); return id.length > 12 ? id.slice(0, 8) + "…" : id; }, title: pick };
  }
  function time(key, label, kind) { return { key: key, label: label, kind: kind || "time", value: function (r) { return r[key] || null; } }; }
  function subscription(key) { return { key: key, label: "Subscription", value: function (r) { return r[key]; }, text: function (r) { return who(r[key]); }, title: function (r) { return r[key]; } }; }

  var GROUP_LABELS = { operation: "Operation", subscription: "Subscription", product: "Product", service: "Service", backend: "Backend kind", status: "Status", outcome: "Outcome" };
  function groupColumns(groupBy) {
    var key = groupBy === "subscription"
      ? [text("name", "Subscription", function (g) { return g.name || ""; }), shortId("key", "Subscription id", function (g) { return g.key; })]
      : [text("key", GROUP_LABELS[groupBy] || groupBy, function (g) { return g.key; })];
    return key.concat([
      count("calls", "Calls"), count("success", "Success"), count("unauthorized", "401"), count("forbidden", "403"), count("throttled", "429"),
      count("failed", "Failed"), count("other", "Other"),
      ms("p50", "p50 ms", function (g) { return g.latency && g.latency.p50; }), ms("p95", "p95 ms", function (g) { return g.latency && g.latency.p95; }),
      ms("gateway", "Gateway ms", function (g) { return g.timing && g.timing.gatewayMeanMs; }), ms("backend", "Backend ms", function (g) { return g.timing && g.timing.backendMeanMs; }),
    ]);
  }

  function percentBar(limitName) {
    return {
      kind: "percent",
      node: function (r, value) {
        var box = document.createElement("span");
        box.className = "usage-bar";
        if (value === null) { box.textContent = r[limitName] ? "\u2013" : "none"; return box; }
        var bar = document.createElement("span");
        bar.className = "bar" + (value >= 100 ? " full" : value >= 80 ? " high" : "");
        var fill = document.createElement("span");
        fill.style.width = Math.min(100, Math.max(0, value)) + "%";
        bar.appendChild(fill);
        box.appendChild(bar);
        box.appendChild(document.createTextNode(value.toLocaleString(undefined, { maximumFractionDigits: 1 }) + " %"));
        return box;
      },
    };
  }
  function windowColumns(limitName, label) {
    var w = function (r) { return r[limitName] || {}; };
    return [
      { key: limitName + "-used", label: label + " used", kind: "count", value: function (r) { return number(w(r).calls); },
        text: function (r, v) { return v === null ? "none" : (w(r).exact === false ? "\u2248 " : "") + v.toLocaleString(); },
        title: function (r) { return w(r).exact === false ? "Approximate: counted by each instance" : ""; } },
      { key: limitName + "-limit", label: label + " limit", kind: "count", value: function (r) { return number(w(r).limit); } },
      Object.assign({ key: limitName + "-percent", label: label + " %", value: function (r) { return number(w(r).percentUsed); } }, percentBar(limitName)),
      { key: limitName + "-renews", label: label + " renews", kind: "clock", value: function (r) { return w(r).renewsAt || null; },
        title: function (r) { return w(r).renewsAt ? new Date(w(r).renewsAt).toLocaleString() : ""; } },
    ];
  }
  var QUOTA_COLUMNS = [
    text("name", "Subscription", function (s) { return s.name; }), shortId("id", "Subscription id", function (s) { return s.id; }),
    text("product", "Product", function (s) { return s.productName || s.productId; }), text("state", "State", function (s) { return s.state; }),
  ].concat(windowColumns("rate", "Rate"), windowColumns("quota", "Quota"));

  var CALL_COLUMNS = [
    Object.assign(time("time", "Time", "clock"), { title: function (c) { return new Date(c.time).toLocaleString(); } }), text("requestId", "Request id", function (c) { return c.requestId; }, "id"), subscription("subscriptionId"),
    text("operation", "Operation", function (c) { return c.operation; }), text("service", "Service", function (c) { return c.workspace ? c.workspace + "/" + c.service : ""; }),
    { key: "status", label: "Status", kind: "count", value: function (c) { return number(c.status); }, text: function (c) { return String(c.status); } },
    text("errorCode", "Error code", function (c) { return c.errorCode || ""; }),
    ms("latencyMs", "Total ms", function (c) { return c.latencyMs; }), ms("gatewayMs", "Gateway ms", function (c) { return c.gatewayMs; }), ms("backendMs", "Backend ms", function (c) { return c.backendMs; }),
  ];

  function durationOf(job) {
    if (typeof job.durationSeconds === "number") return job.durationSeconds;
    return job.startTime && job.endTime ? (Date.parse(job.endTime) - Date.parse(job.startTime)) / 1000 : null;
  }
  function durationText(s) {
    if (s === null) return "";
    if (s < 1) return Math.round(s * 1000) + " ms";
    if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + " s";
    var m = Math.floor(s / 60);
    return m < 60 ? m + " min " + Math.round(s % 60) + " s" : Math.floor(m / 60) + " h " + (m % 60) + " min";
  }
  var JOB_COLUMNS = [
    text("id", "Job", function (j) { return j.id; }, "id"), subscription("subscriptionId"),
    text("service", "Service", function (j) { return j.workspace + "/" + j.service; }),
    { key: "state", label: "State", value: function (j) { return j.state; }, node: function (j) {
      var badge = document.createElement("span");
      badge.className = "state " + (ACTIVE[j.state] ? "active" : String(j.state));
      badge.textContent = j.state;
      return badge;
    } },
    time("createdAt", "Created"),
    { key: "duration", label: "Duration (s)", kind: "ms", value: durationOf, text: function (j, v) { return durationText(v); } },
    text("details", "Failure / cancel reason", function (j) { return j.details || ""; }, "wrap"),
  ];

  // ---- tables -------------------------------------------------------------------------------------------------
  var usageTable = Tables.define({ id: "usage-table", empty: "No calls in this range for these filters.",
    fileName: function () { return "usage-by-" + window.MlFacadeFilters.state().groupBy; }, rowAttributes: function (g) { return { "data-key": g.key }; } });
  var quotaTable = Tables.define({ id: "quotas-table", empty: "No subscriptions match these filters.", fileName: function () { return "quotas"; },
    rowAttributes: function (s) { return { "data-subscription-id": s.id }; } });
  var callsTable = Tables.define({ id: "calls-table", empty: "No calls in this range for these filters.", fileName: function () { return "request-log"; },
    rowAttributes: function (c) { return { "data-request-id": c.requestId, "data-status": c.status }; } });
  var jobsTable = Tables.define({ id: "jobs-table", empty: "No batch jobs yet.", fileName: function () { return "batch-jobs"; },
    rowAttributes: function (j) { return { "data-job-id": j.id }; } });

  /** An optional source's answer, or its error shown in the table's box (null: the table is left as it was). */
  function usable(answer, boxId) {
    $(boxId).textContent = answer && answer.failed ? answer.failed : "";
    return answer && answer.failed ? null : answer;
  }

  function byActiveThenNewest(a, b) {
    var active = (ACTIVE[b.state] ? 1 : 0) - (ACTIVE[a.state] ? 1 : 0);
    return active !== 0 ? active : String(b.createdAt).localeCompare(String(a.createdAt));
  }

  /**
   * data = { grouped, groupBy, bySubscription, quotas, calls, jobs, subscriptions }; quotas and jobs are filtered
   * here (their APIs take no filters). Names come from the subscription list, else from the usage by subscription.
   */
  function render(data) {
    var filters = window.MlFacadeFilters.state();
    (data.subscriptions || []).forEach(function (s) { names[s.id] = s.name; });
    ((data.bySubscription && data.bySubscription.groups) || []).forEach(function (g) { if (g.name && !names[g.key]) names[g.key] = g.name; });
    var groups = (data.grouped.groups || []).slice().sort(function (a, b) { return b.calls - a.calls || String(a.key).localeCompare(String(b.key)); });
    usageTable.render(groupColumns(data.groupBy), groups);
    var quotas = usable(data.quotas, "quotas-error");
    if (quotas) {
      quotaTable.render(QUOTA_COLUMNS, (quotas.subscriptions || []).filter(function (s) {
        return (!filters.subscription || s.id === filters.subscription) && (!filters.product || s.productId === filters.product);
      }).sort(function (a, b) { return String(a.name).localeCompare(String(b.name)); }));
    }
    var calls = usable(data.calls, "calls-error");
    if (calls) callsTable.render(CALL_COLUMNS, calls.calls || []);
    var jobs = usable(data.jobs, "jobs-error");
    if (jobs) {
      jobsTable.render(JOB_COLUMNS, (Array.isArray(jobs) ? jobs : jobs.jobs || []).filter(function (j) {
        return (!filters.subscription || j.subscriptionId === filters.subscription) && (!filters.service || j.workspace + "/" + j.service === filters.service);
      }).sort(byActiveThenNewest).slice(0, JOBS_SHOWN));
    }
  }

  window.MlFacadeAnalytics = { renderTotals: renderTotals, render: render };
})();
`;
