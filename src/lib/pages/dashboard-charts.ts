// The dashboard's charts (served as /manage/dashboard/dashboard-charts.js), drawn with Chart.js from the usage
// API's series and groups: one Chart per canvas, updated in place on refresh. No animation: stable screenshots.
// Latency lines are straight between points (tension 0) and break where an interval had no calls (its
// percentiles are null; spanGaps false): a sparse series is not drawn as a smooth curve it never had. The same holds
// for the gateway-vs-backend chart (two lines, not stacked: the backend's mean is over the calls that reached it).
export const DASHBOARD_CHARTS_JS = String.raw`"use strict";
(function () {
  var COLORS = { success: "#2e7d32", blocked: "#ef6c00", failed: "#c62828", other: "#78909c", p50: "#1565c0", p95: "#8e24aa", p99: "#37474f",
    unauthorized: "#6a1b9a", forbidden: "#ad1457", throttled: "#ef6c00", gateway: "#00838f", backend: "#5d4037" };
  // The blocked statuses, each its own stack in the blocked chart.
  var BLOCKED = [["unauthorized", "401 unauthorized"], ["forbidden", "403 forbidden"], ["throttled", "429 throttled"]];
  var OUTCOMES = ["success", "blocked", "failed", "other"];
  var TOP = 10;
  var charts = {};

  function draw(id, config) {
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options || {});
    var existing = charts[id];
    if (existing) {
      existing.data = config.data;
      existing.update();
      return existing;
    }
    charts[id] = new Chart(document.getElementById(id), config);
    return charts[id];
  }

  function timeLabel(iso, rangeMs) {
    var d = new Date(iso);
    var hm = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return rangeMs > 6 * 3600000 ? d.toLocaleDateString([], { month: "short", day: "numeric" }) + " " + hm : hm;
  }

  function outcomeSets(rows, type) {
    return OUTCOMES.map(function (o) {
      return { label: o, data: rows.map(function (r) { return r[o] || 0; }), backgroundColor: COLORS[o], borderColor: COLORS[o], type: type };
    });
  }

  var stacked = { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } };

  function topGroups(report) {
    return (report.groups || []).slice().sort(function (a, b) { return b.calls - a.calls; }).slice(0, TOP);
  }

  function groupChart(id, report, name) {
    var groups = topGroups(report);
    draw(id, {
      type: "bar",
      data: { labels: groups.map(name), datasets: outcomeSets(groups) },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } }
    });
  }

  function render(data) {
    var usage = data.usage;
    var series = usage.series || [];
    var rangeMs = Date.parse(usage.to) - Date.parse(usage.from);
    var labels = series.map(function (p) { return timeLabel(p.time, rangeMs); });

    draw("chart-calls", { type: "bar", data: { labels: labels, datasets: outcomeSets(series) }, options: { scales: stacked } });
    draw("chart-latency", {
      type: "line",
      data: { labels: labels, datasets: ["p50", "p95", "p99"].map(function (p) { return line(p, series, p); }) },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "ms" } } } }
    });
    draw("chart-timing", {
      type: "line",
      data: { labels: labels, datasets: [line("gateway", series, "gatewayMeanMs", "gateway (mean)"), line("backend", series, "backendMeanMs", "backend (mean)")] },
      options: { scales: { y: { beginAtZero: true, title: { display: true, text: "ms" } } } }
    });
    groupChart("chart-subscriptions", data.subscriptions, function (g) { return g.name ? g.name + " (" + String(g.key).slice(0, 8) + ")" : String(g.key); });
    groupChart("chart-operations", data.operations, function (g) { return String(g.key); });
    draw("chart-throttled", { type: "bar", data: { labels: labels, datasets: blockedSets(series) }, options: { scales: stacked } });
  }

  // A straight line with gaps where an interval had no calls (its value is null).
  function line(color, series, field, label) {
    return { label: label || field, data: series.map(function (r) { return r[field] === undefined ? null : r[field]; }), borderColor: COLORS[color], backgroundColor: COLORS[color], spanGaps: false, pointRadius: 2, tension: 0 };
  }

  // 401, 403 and 429 apart; an answer without them (an older API) shows its blocked count as one unnamed stack.
  function blockedSets(series) {
    var sets = BLOCKED.map(function (b) {
      return { label: b[1], data: series.map(function (r) { return r[b[0]] || 0; }), backgroundColor: COLORS[b[0]] };
    });
    var unnamed = series.map(function (r) { return Math.max(0, (r.blocked || 0) - (r.unauthorized || 0) - (r.forbidden || 0) - (r.throttled || 0)); });
    if (unnamed.some(function (n) { return n > 0; })) sets.push({ label: "blocked (status not given)", data: unnamed, backgroundColor: COLORS.blocked });
    return sets;
  }

  window.MlFacadeCharts = { render: render, charts: charts };
})();
`;
