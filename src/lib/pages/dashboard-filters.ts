// The analytics view's filter bar (served as /manage/dashboard/dashboard-filters.js): subscription, product,
// operation, service and backend kind, a range (presets sliding up to now, or a custom from/to), the series
// interval and the grouped table's dimension. Its state lives in the URL hash (#usage?subscription=…&range=24h) so
// a view can be shared or reloaded; #admin stays the Admin tab's. A custom range is checked here as the API checks
// it (from before to, at most 31 days, at most 3000 series points) and the person is told plainly what is wrong,
// rather than sent a 400.
export const DASHBOARD_FILTERS_JS = String.raw`"use strict";
(function () {
  var MINUTE = 60000;
  var DAY = 1440 * MINUTE;
  var PRESETS = { "15m": { ms: 15 * MINUTE, interval: 1 }, "1h": { ms: 60 * MINUTE, interval: 1 }, "24h": { ms: DAY, interval: 15 }, "7d": { ms: 7 * DAY, interval: 60 } };
  var INTERVALS = [1, 5, 15, 30, 60, 360, 1440];
  var MAX_RANGE_MS = 31 * DAY;
  var MAX_POINTS = 3000; // the API's bound
  var AUTO_POINTS = 400; // what a chart shows legibly: an automatic interval keeps under it
  var DIMENSIONS = ["subscription", "product", "operation", "service", "backend"];
  var GROUP_BY = ["operation", "subscription", "product", "service", "backend", "status", "outcome"];
  var DEFAULTS = { subscription: "", product: "", operation: "", service: "", backend: "", range: "1h", from: "", to: "", interval: "auto", groupBy: "operation", errorsOnly: "" };
  var state = Object.assign({}, DEFAULTS);
  var known = { operation: {} }; // operations seen in any answer (there is no list of them to ask for)
  function $(id) { return document.getElementById(id); }

  function fromHash(hash) {
    var next = Object.assign({}, DEFAULTS);
    var query = hash.indexOf("#usage?") === 0 ? hash.slice(7) : "";
    new URLSearchParams(query).forEach(function (value, name) { if (name in DEFAULTS) next[name] = value; });
    if (!PRESETS[next.range] && next.range !== "custom") next.range = DEFAULTS.range;
    if (next.interval !== "auto" && INTERVALS.indexOf(Number(next.interval)) < 0) next.interval = "auto";
    if (GROUP_BY.indexOf(next.groupBy) < 0) next.groupBy = DEFAULTS.groupBy;
    return next;
  }

  /** "#usage?…" with what differs from the defaults, or "" when nothing does. */
  function toHash() {
    var params = new URLSearchParams();
    Object.keys(DEFAULTS).forEach(function (name) {
      if (state[name] !== DEFAULTS[name] && !(state.range !== "custom" && (name === "from" || name === "to"))) params.set(name, state[name]);
    });
    var query = params.toString();
    return query ? "#usage?" + query : "";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  /** A Date as a datetime-local input's value, in this browser's time zone. */
  function localInput(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }
  /** A datetime-local value (local time) as an ISO instant, or "" when there is none. */
  function isoOf(value) {
    var at = value ? new Date(value) : null;
    return at && !isNaN(at.getTime()) ? at.toISOString() : "";
  }
  function points(from, to, interval) {
    var step = interval * MINUTE;
    return Math.ceil((to - Math.floor(from / step) * step) / step);
  }
  function minutesText(m) { return m >= 1440 ? m / 1440 + " d" : m >= 60 ? m / 60 + " h" : m + " min"; }
  function spanText(ms) { return ms >= 2 * DAY ? Math.round(ms / DAY * 10) / 10 + " days" : Math.round(ms / 3600000 * 10) / 10 + " hours"; }

  /** The range to ask for now: { ok, from, to, interval (minutes) } or { ok: false, message }. */
  function resolve(now) {
    var from, to, preset = PRESETS[state.range];
    if (preset) {
      to = now.getTime();
      from = to - preset.ms;
    } else {
      from = Date.parse(state.from);
      to = Date.parse(state.to);
      if (isNaN(from) || isNaN(to)) return { ok: false, message: "Enter both a start and an end date and time for the custom range." };
      if (from >= to) return { ok: false, message: "The custom range must start before it ends." };
      if (to - from > MAX_RANGE_MS) return { ok: false, message: "The custom range is " + spanText(to - from) + " long; it can be at most 31 days." };
    }
    var interval = Number(state.interval);
    if (state.interval === "auto") {
      interval = preset ? preset.interval : INTERVALS.filter(function (i) { return points(from, to, i) <= AUTO_POINTS; })[0] || 1440;
    } else if (points(from, to, interval) > MAX_POINTS) {
      return { ok: false, message: "An interval of " + minutesText(interval) + " over " + spanText(to - from) + " is " + points(from, to, interval) + " points; at most " + MAX_POINTS + ": choose a larger interval or a shorter range." };
    }
    return { ok: true, from: new Date(from), to: new Date(to), interval: interval };
  }

  /** The query string of a usage request: the range, the interval and each filter that is set. */
  function query(range, extra) {
    var params = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString(), interval: String(range.interval) });
    DIMENSIONS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    Object.keys(extra || {}).forEach(function (name) { params.set(name, extra[name]); });
    return params.toString();
  }

  /** The filters as the request log takes them (no interval). */
  function callsQuery(range, limit) {
    var params = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString(), limit: String(limit) });
    DIMENSIONS.forEach(function (name) { if (state[name]) params.set(name, state[name]); });
    if (state.errorsOnly) params.set("errorsOnly", "true");
    return params.toString();
  }

  // ---- the form -----------------------------------------------------------------------------------------------
  function setOptions(select, allText, options) {
    var chosen = state[select.getAttribute("data-filter")];
    if (chosen && !options.some(function (o) { return o.value === chosen; })) options.push({ value: chosen, text: chosen });
    select.textContent = "";
    [{ value: "", text: allText }].concat(options).forEach(function (o) {
      var option = document.createElement("option");
      option.value = o.value;
      option.textContent = o.text;
      select.appendChild(option);
    });
    select.value = chosen;
  }
  function byText(a, b) { return a.text.localeCompare(b.text); }
  function unique(values) { return values.filter(function (v, i) { return v && values.indexOf(v) === i; }); }

  /** Fills the selects from what the API lists; null for a list it could not give (its select keeps "all" only). */
  function fillOptions(lists) {
    (lists.operations || []).forEach(function (op) { known.operation[op] = true; });
    setOptions($("filter-subscription"), "All subscriptions", (lists.subscriptions || []).map(function (s) {
      return { value: s.id, text: s.name + " (" + String(s.id).slice(0, 8) + ")" };
    }).sort(byText));
    setOptions($("filter-product"), "All products", (lists.products || []).map(function (p) { return { value: p.id, text: p.name + " (" + p.id + ")" }; }).sort(byText));
    setOptions($("filter-operation"), "All operations", Object.keys(known.operation).sort().map(function (op) { return { value: op, text: op }; }));
    var catalogue = lists.catalogue || [];
    setOptions($("filter-service"), "All services", unique(catalogue.map(function (e) { return e.workspace + "/" + e.service; })).sort().map(function (s) { return { value: s, text: s }; }));
    setOptions($("filter-backend"), "All backend kinds", unique(catalogue.map(function (e) { return e.backend && e.backend.kind; })).sort().map(function (k) { return { value: k, text: k }; }));
  }

  /** The form shows the state: selects, the custom inputs (shown for a custom range only), what "auto" means. */
  function show(range) {
    DIMENSIONS.forEach(function (name) { $("filter-" + name).value = state[name]; });
    $("range").value = state.range;
    $("interval").value = state.interval;
    $("group-by").value = state.groupBy;
    $("errors-only").checked = Boolean(state.errorsOnly);
    $("custom-range").hidden = state.range !== "custom";
    if (state.range === "custom") {
      $("range-from").value = state.from ? localInput(new Date(state.from)) : "";
      $("range-to").value = state.to ? localInput(new Date(state.to)) : "";
    }
    $("interval-auto").textContent = "Auto" + (range && range.ok && state.interval === "auto" ? " (" + minutesText(range.interval) + ")" : "");
    var bar = $("filters");
    bar.setAttribute("data-from", range && range.ok ? range.from.toISOString() : "");
    bar.setAttribute("data-to", range && range.ok ? range.to.toISOString() : "");
    bar.setAttribute("data-interval", range && range.ok ? String(range.interval) : "");
    showError(range && !range.ok ? range.message : "");
  }

  function showError(message) {
    $("filter-error").textContent = message;
    ["range-from", "range-to"].forEach(function (id) {
      if (message && state.range === "custom") $(id).setAttribute("aria-invalid", "true");
      else $(id).removeAttribute("aria-invalid");
    });
  }

  /** Wires the form: every change updates the state and the hash, then calls changed() (which reloads). */
  function bind(changed) {
    function update(patch) {
      Object.assign(state, patch);
      history.replaceState(null, "", toHash() || location.pathname + location.search);
      changed();
    }
    DIMENSIONS.forEach(function (name) {
      $("filter-" + name).addEventListener("change", function (e) { var p = {}; p[name] = e.target.value; update(p); });
    });
    $("range").addEventListener("change", function (e) {
      if (e.target.value !== "custom") return update({ range: e.target.value });
      // A custom range starts as the one shown, for the person to edit; it applies with "Apply".
      var shown = resolve(new Date());
      state.range = "custom";
      if (!state.from || !state.to) Object.assign(state, shown.ok ? { from: shown.from.toISOString(), to: shown.to.toISOString() } : {});
      show(shown);
    });
    $("filters").addEventListener("submit", function (e) {
      e.preventDefault();
      update({ range: "custom", from: isoOf($("range-from").value), to: isoOf($("range-to").value) });
    });
    $("interval").addEventListener("change", function (e) { update({ interval: e.target.value }); });
    $("group-by").addEventListener("change", function (e) { update({ groupBy: e.target.value }); });
    $("errors-only").addEventListener("change", function (e) { update({ errorsOnly: e.target.checked ? "1" : "" }); });
    $("filters-clear").addEventListener("click", function () { update(Object.assign({}, DEFAULTS, { groupBy: state.groupBy })); });
    window.addEventListener("hashchange", function () {
      if (location.hash.indexOf("#usage") !== 0 && location.hash !== "") return;
      state = fromHash(location.hash);
      changed();
    });
  }

  state = fromHash(location.hash);
  window.MlFacadeFilters = {
    resolve: resolve, query: query, callsQuery: callsQuery, fillOptions: fillOptions, show: show, bind: bind,
    state: function () { return state; }, hash: toHash,
  };
})();
`;
