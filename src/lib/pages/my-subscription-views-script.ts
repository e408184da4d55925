// What the "My subscription" page shows (served as /portal/me/my-subscription-views.js, before my-subscription.js):
// the subscription and its product, the current rate-limit and quota windows with their meters, the last hour's
// usage by operation, the recent batch jobs and the recent errors. Everything goes in as text (textContent), never
// as markup; my-subscription.js reads the answers and decides when.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const MY_SUBSCRIPTION_VIEWS_JS = `"use strict";
window.MySubscriptionViews = (function () {
  function $(id) { return document.getElementById(id); }

  function when(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    return isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
  }
  function fromNow(iso) {
    var ms = new Date(iso).getTime() - Date.now();
    if (isNaN(ms)) return "";
    var s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return "in " + s + " s";
    var m = Math.round(s / 60);
    if (m < 120) return "in " + m + " min";
    var h = Math.round(m / 60);
    if (h < 48) return "in " + h + " h";
    return "in " + Math.round(h / 24) + " days";
  }
  function period(seconds) {
    if (seconds % 86400 === 0) return seconds === 86400 ? "day" : seconds / 86400 + " days";
    if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : seconds / 3600 + " hours";
    if (seconds % 60 === 0) return seconds === 60 ? "minute" : seconds / 60 + " minutes";
    return seconds + " seconds";
  }
  function limitText(limit) {
    return limit ? limit.calls.toLocaleString() + " calls per " + period(limit.renewalPeriod) : "No limit";
  }
  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "";
    if (seconds < 60) return seconds.toFixed(1) + " s";
    if (seconds < 3600) return Math.floor(seconds / 60) + " min " + Math.round(seconds % 60) + " s";
    return Math.floor(seconds / 3600) + " h " + Math.round((seconds % 3600) / 60) + " min";
  }
  function text(id, value) { $(id).textContent = value === null || value === undefined ? "" : String(value); }

  function renderMe(me) {
    var sub = me.subscription, product = me.product;
    text("sub-name", sub.name);
    text("sub-id", sub.id);
    text("sub-state", sub.state);
    $("sub-state").className = "state " + sub.state;
    text("sub-expires", sub.expiresAt ? when(sub.expiresAt) + " (" + fromNow(sub.expiresAt) + ")" : "Never");
    text("sub-created", when(sub.createdAt));
    text("product-name", product.name);
    text("product-id", product.id);
    text("product-rate", limitText(product.rateLimit));
    $("product-rate").setAttribute("data-calls", product.rateLimit ? product.rateLimit.calls : "");
    text("product-quota", limitText(product.quota));
    $("product-quota").setAttribute("data-calls", product.quota ? product.quota.calls : "");
    text("product-operations", (product.operations || []).map(function (o) { return o.toUpperCase(); }).join(", "));
    text("product-services", product.services ? product.services.join(", ") : "Every service");
    renderWindow("window-rate", "Rate limit", me.windows.rate);
    renderWindow("window-quota", "Quota", me.windows.quota);
  }

  function renderWindow(id, title, w) {
    var box = $(id);
    box.textContent = "";
    var head = document.createElement("div");
    head.className = "head";
    var name = document.createElement("strong");
    name.textContent = title;
    head.appendChild(name);
    box.appendChild(head);
    if (!w) {
      box.removeAttribute("data-calls");
      box.removeAttribute("data-limit");
      var none = document.createElement("div");
      none.className = "muted";
      none.textContent = "Your product sets no " + title.toLowerCase() + ".";
      box.appendChild(none);
      return;
    }
    var remaining = typeof w.remaining === "number" ? w.remaining : Math.max(0, w.limit - w.calls);
    box.setAttribute("data-calls", w.calls);
    box.setAttribute("data-limit", w.limit);
    box.setAttribute("data-remaining", remaining);
    var per = document.createElement("span");
    per.className = "muted";
    per.textContent = w.renewalPeriod ? "per " + period(w.renewalPeriod) : "";
    head.appendChild(per);
    var numbers = document.createElement("div");
    numbers.className = "numbers";
    numbers.appendChild(document.createTextNode(w.calls.toLocaleString() + " / " + w.limit.toLocaleString() + " "));
    var small = document.createElement("small");
    small.textContent = "calls · " + remaining.toLocaleString() + " remaining" + (w.exact === false ? " (approximate)" : "");
    numbers.appendChild(small);
    box.appendChild(numbers);
    var meter = document.createElement("div");
    meter.className = "meter" + (remaining <= 0 ? " full" : "");
    var fill = document.createElement("div");
    fill.style.width = Math.min(100, w.limit ? (100 * w.calls) / w.limit : 0) + "%";
    meter.appendChild(fill);
    box.appendChild(meter);
    var renews = document.createElement("div");
    renews.className = "renews";
    renews.textContent = "Renews " + fromNow(w.renewsAt) + " (" + when(w.renewsAt) + ")";
    box.appendChild(renews);
  }

  function cells(row, values, numericFrom) {
    values.forEach(function (value, i) {
      var td = row.insertCell();
      if (i >= numericFrom) td.className = "num";
      td.textContent = value === null || value === undefined ? "" : String(value);
    });
  }

  /** The usage of one range: the chart over time, then the table by operation. */
  function renderUsage(usage, range) {
    text("usage-title", "My usage in " + range.label + ", by operation and outcome");
    window.MyUsageChart.render($("usage-chart"), usage.series || [], usage.interval);
    var body = $("usage-body"), foot = $("usage-foot");
    body.textContent = "";
    foot.textContent = "";
    var ops = usage.operations || [];
    var max = ops.reduce(function (m, o) { return Math.max(m, o.calls); }, 0);
    if (!ops.length) {
      var empty = body.insertRow().insertCell();
      empty.colSpan = 7;
      empty.className = "muted";
      empty.textContent = "No calls in " + range.label + ".";
    }
    ops.forEach(function (o) {
      var row = body.insertRow();
      row.setAttribute("data-operation", o.operation);
      row.setAttribute("data-calls", o.calls);
      cells(row, [o.operation, o.calls, o.success, o.blocked, o.failed, o.other], 1);
      var barCell = row.insertCell();
      var bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = Math.round((max ? o.calls / max : 0) * 120) + "px";
      barCell.appendChild(bar);
    });
    var t = usage.totals || {};
    var total = foot.insertRow();
    total.setAttribute("data-calls", t.calls || 0);
    cells(total, ["Total", t.calls || 0, t.success || 0, t.blocked || 0, t.failed || 0, t.other || 0, ""], 1);
  }

  /** Fills a table body with one row per item (cells made by fill), or one muted line when there is none. */
  function fillRows(bodyId, items, columns, emptyText, fill) {
    var body = $(bodyId);
    body.textContent = "";
    if (!items.length) {
      var empty = body.insertRow().insertCell();
      empty.colSpan = columns;
      empty.className = "muted";
      empty.textContent = emptyText;
      return;
    }
    items.forEach(function (item) { fill(body.insertRow(), item); });
  }

  function cell(row, value, className) {
    var td = row.insertCell();
    if (className) td.className = className;
    td.textContent = value === null || value === undefined ? "" : String(value);
    return td;
  }

  function renderJobs(jobs) {
    fillRows("jobs-body", jobs, 6, "No batch jobs yet.", function (row, job) {
      row.setAttribute("data-job-id", job.id);
      cell(row, job.id, "mono");
      cell(row, job.workspace + "/" + job.service);
      var badge = document.createElement("span");
      badge.className = "state " + job.state;
      badge.textContent = job.state;
      row.insertCell().appendChild(badge);
      cell(row, when(job.createdAt));
      cell(row, duration(job.durationSeconds), "num");
      cell(row, job.details || "", "reason");
    });
  }

  // The request id is what support needs to find the call; the code says what went wrong without the body.
  function renderErrors(answer) {
    fillRows("errors-body", answer.calls || [], 6, "No errors in the last 24 hours.", function (row, call) {
      row.setAttribute("data-request-id", call.requestId);
      cell(row, when(call.time));
      cell(row, call.requestId, "mono");
      cell(row, call.operation);
      cell(row, call.workspace && call.service ? call.workspace + "/" + call.service : "");
      cell(row, call.status, "num");
      cell(row, call.errorCode || "");
    });
  }

  return { text: text, renderMe: renderMe, renderUsage: renderUsage, renderJobs: renderJobs, renderErrors: renderErrors };
})();
`;
