// My subscription's usage over time (served as /portal/me/my-usage-chart.js, before my-subscription.js): the ranges
// the subscriber can choose and a small chart of their calls per interval, stacked by outcome. Plain elements sized
// by percentages (no chart library: the page stays light and works offline); each bar carries its counts as data
// attributes and a title, so it can be read without hovering. API data goes in as text and numbers only.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const MY_USAGE_CHART_JS = `"use strict";
window.MyUsageChart = (function () {
  // The ranges offered and the step of each (GET …/me/usage's interval, in minutes): 60, 24 and 28 bars.
  var RANGES = {
    "1h": { label: "the last hour", ms: 3600000, interval: 1 },
    "24h": { label: "the last 24 hours", ms: 86400000, interval: 60 },
    "7d": { label: "the last 7 days", ms: 604800000, interval: 360 }
  };
  var OUTCOMES = ["success", "blocked", "failed", "other"];

  function range(name) { return RANGES[name] || RANGES["1h"]; }

  /** The usage query of a range, ending now. */
  function query(name) {
    var r = range(name), to = new Date();
    return "?from=" + encodeURIComponent(new Date(to.getTime() - r.ms).toISOString()) +
      "&to=" + encodeURIComponent(to.toISOString()) + "&interval=" + r.interval;
  }

  function label(point, interval) {
    var d = new Date(point.time);
    return interval >= 1440 ? d.toLocaleDateString() : d.toLocaleString([], { weekday: interval >= 360 ? "short" : undefined, hour: "2-digit", minute: "2-digit" });
  }

  /** Replaces the chart's content with one bar per series point. */
  function render(chart, series, interval) {
    chart.textContent = "";
    var max = series.reduce(function (m, p) { return Math.max(m, p.calls); }, 0);
    chart.setAttribute("data-calls", series.reduce(function (sum, p) { return sum + p.calls; }, 0));
    series.forEach(function (point) {
      var bar = document.createElement("div");
      bar.className = "usage-bar";
      bar.setAttribute("data-time", point.time);
      bar.setAttribute("data-calls", point.calls);
      bar.title = label(point, interval) + ": " + point.calls + " calls (" +
        OUTCOMES.map(function (o) { return point[o] + " " + o; }).join(", ") + ")";
      // Stacked from the bottom: success, then blocked, failed, other; the bar's height is its share of the busiest.
      OUTCOMES.forEach(function (outcome) {
        if (!point[outcome]) return;
        var part = document.createElement("span");
        part.className = "usage-part " + outcome;
        part.style.height = (max ? (point[outcome] / max) * 100 : 0) + "%";
        bar.appendChild(part);
      });
      chart.appendChild(bar);
    });
    var axis = chart.parentNode.querySelector(".usage-axis");
    if (axis && series.length) {
      axis.children[0].textContent = label(series[0], interval);
      axis.children[1].textContent = label(series[series.length - 1], interval);
    }
  }

  return { range: range, query: query, render: render };
})();
`;
