// The "My subscription" page's browser script (served as /portal/me/my-subscription.js): asks for the subscriber's
// own subscription key once per tab (sessionStorage), reads …/workspaces/me, /me/usage, /me/jobs and /me/calls (its recent errors) with it (the
// Ocp-Apim-Subscription-Key header, nothing else), and regenerates a key after a confirmation, showing the new key
// once. When the regenerated key was the one in use, the page signs in again with the new one. The key, the calls
// and the sign-in form are subscriber-session.js's (shared with the batch page), loaded first.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const MY_SUBSCRIPTION_JS = `"use strict";
(function () {
  var session = window.SubscriberSession;
  var REFRESH_MS = 30000;
  var ME = session.ME;
  var timer = null;
  var pending = null; // the key kind waiting for confirmation

  function $(id) { return document.getElementById(id); }
  var setState = session.setState, api = session.api, explain = session.explain;

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

  function renderUsage(usage) {
    var body = $("usage-body"), foot = $("usage-foot");
    body.textContent = "";
    foot.textContent = "";
    var ops = usage.operations || [];
    var max = ops.reduce(function (m, o) { return Math.max(m, o.calls); }, 0);
    if (!ops.length) {
      var empty = body.insertRow().insertCell();
      empty.colSpan = 7;
      empty.className = "muted";
      empty.textContent = "No calls in the last hour.";
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

  function showLogin(message) {
    if (timer) { clearInterval(timer); timer = null; }
    $("me-panel").hidden = true;
    session.showSignIn(message);
  }

  function load() {
    var key = session.key();
    if (!key) return Promise.resolve(showLogin());
    $("login-panel").hidden = true;
    $("me-panel").hidden = false;
    setState("loading", "Loading…");
    // The subscription first: a wrong key is told once, not three times.
    return api(ME, key).then(function (me) {
      renderMe(me);
      var active = me.subscription.state === "active";
      $("regenerate-primary").disabled = !active;
      $("regenerate-secondary").disabled = !active;
      if (!active) {
        setState("ready", "Your subscription is " + me.subscription.state + ": usage and jobs need an active subscription.");
        return;
      }
      var dayAgo = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      var errors = ME + "/calls?errorsOnly=true&limit=20&from=" + encodeURIComponent(dayAgo);
      return Promise.all([api(ME + "/usage", key), api(ME + "/jobs?limit=20", key), api(errors, key)]).then(function (r) {
        renderUsage(r[0]);
        renderJobs(r[1]);
        renderErrors(r[2]);
        setState("ready", "Updated " + new Date().toLocaleTimeString());
      });
    }).then(function () {
      if (!timer) timer = setInterval(load, REFRESH_MS);
    }).catch(function (error) {
      if (session.refusesKey(error)) {
        session.forget();
        return showLogin(explain(error));
      }
      setState("error", explain(error));
    });
  }

  function askRegenerate(kind) {
    pending = kind;
    $("new-key").hidden = true;
    $("keys-error").textContent = "";
    text("confirm-text", "Regenerate your " + kind + " key? The current " + kind + " key stops working at once, for every client that uses it.");
    $("confirm").hidden = false;
    $("confirm-no").focus();
  }

  function regenerate() {
    var kind = pending;
    var oldKey = session.key();
    pending = null;
    $("confirm").hidden = true;
    if (!kind || !oldKey) return;
    setState("loading", "Regenerating your " + kind + " key…");
    api(ME + "/regenerate?key=" + kind, oldKey, "POST").then(function (answer) {
      var fresh = answer[kind + "Key"];
      // Was the old key the one this page signed in with? Then it no longer works: sign in with the new one.
      return api(ME, oldKey).then(function () { return false; }, function (error) { return error.status === 401; })
        .then(function (wasInUse) {
          if (wasInUse) session.remember(fresh);
          showNewKey(kind, fresh, wasInUse);
          return load();
        });
    }).catch(function (error) {
      $("keys-error").textContent = "The key was not regenerated: " + explain(error);
      setState("error", explain(error));
    });
  }

  function showNewKey(kind, key, wasInUse) {
    text("new-key-title", "Your new " + kind + " key.");
    text("new-key-value", key);
    $("new-key").setAttribute("data-kind", kind);
    text("new-key-note", wasInUse ? "This page was signed in with the old " + kind + " key, so it now uses the new one." : "");
    $("copy-key").textContent = "Copy";
    $("new-key").hidden = false;
  }

  function copyKey() {
    var key = $("new-key-value").textContent;
    var done = function () { $("copy-key").textContent = "Copied"; };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents($("new-key-value"));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      try { if (document.execCommand("copy")) return done(); } catch (e) { /* selected: the user copies */ }
      $("copy-key").textContent = "Selected: press Ctrl+C";
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(key).then(done, fallback);
    else fallback();
  }

  // The new key is shown once: hidden for good when dismissed (it is in no storage unless it is the one in use).
  function hideKey() {
    $("new-key").hidden = true;
    $("new-key-value").textContent = "";
  }

  session.onSignIn(load);
  $("sign-out").addEventListener("click", function () { session.forget(); hideKey(); showLogin(); });
  $("refresh").addEventListener("click", function () { load(); });
  $("regenerate-primary").addEventListener("click", function () { askRegenerate("primary"); });
  $("regenerate-secondary").addEventListener("click", function () { askRegenerate("secondary"); });
  $("confirm-yes").addEventListener("click", regenerate);
  $("confirm-no").addEventListener("click", function () { pending = null; $("confirm").hidden = true; });
  $("copy-key").addEventListener("click", copyKey);
  $("hide-key").addEventListener("click", hideKey);
  load();
})();
`;
