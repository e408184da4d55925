// The admin console's shared kit (served as /manage/dashboard/dashboard-admin-kit.js, loaded before the console's
// other scripts, as window.MlFacadeAdminKit): elements built from text (never markup), one management call with the
// admin key the dashboard keeps in sessionStorage, the API's classic errors as a person reads them, the notice line,
// times and limits in words, the products last loaded (for the product pickers) and new keys shown once. The areas
// (dashboard-admin-subscriptions.ts, dashboard-admin-products.ts, then dashboard-admin.ts, which loads them all)
// share these rather than each keeping its own. Plain ES2017 in a string, like the rest.
export const DASHBOARD_ADMIN_KIT_JS = String.raw`"use strict";
window.MlFacadeAdminKit = (function () {
  var KEY = "ml-facade.adminKey";
  var products = [];
  var onUnauthorized = function () {};
  function $(id) { return document.getElementById(id); }

  // An element with attributes and children (strings become text nodes: never markup).
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === undefined || value === null || value === false) return;
      if (name === "text") node.textContent = String(value);
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  // One management call. A refusal becomes an Error carrying the classic body ({error: {code, message, details}}).
  function call(method, path, body) {
    var headers = { "x-admin-key": sessionStorage.getItem(KEY) || "", accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" })
      .then(function (res) {
        return res.text().then(function (text) {
          var json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (res.ok) return json;
          var classic = json && json.error ? json.error : null;
          var error = new Error(classic && classic.message ? classic.message : "HTTP " + res.status);
          error.status = res.status;
          error.code = classic ? classic.code : "";
          error.details = classic && Array.isArray(classic.details) ? classic.details : [];
          if (res.status === 401) error.unauthorized = true;
          throw error;
        });
      });
  }

  // The classic error as a person reads it: status, class and message, then each detail (code, target, message).
  function showError(box, error, skip) {
    clear(box);
    if (!error) return;
    if (error.unauthorized) return onUnauthorized(error.message);
    var head = (error.status ? error.status + " " : "") + (error.code ? error.code + ": " : "") + error.message;
    box.appendChild(el("p", { className: "api-message", text: head }));
    var details = (error.details || []).filter(function (d) { return !skip || !skip(d); });
    if (details.length) {
      box.appendChild(el("ul", { className: "api-details" }, details.map(function (d) {
        return el("li", { "data-code": d.code, "data-target": d.target }, [
          el("code", { text: d.code }), d.target ? " " : null, d.target ? el("span", { className: "target", text: d.target }) : null, " \u2014 " + d.message,
        ]);
      })));
    }
  }

  function notice(text) {
    var box = $("admin-notice");
    box.textContent = text;
    box.hidden = !text;
  }

  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
  function period(seconds) {
    var units = [[86400, "d"], [3600, "h"], [60, "min"]];
    for (var i = 0; i < units.length; i++) if (seconds % units[i][0] === 0) return seconds / units[i][0] + " " + units[i][1];
    return seconds + " s";
  }
  function limit(l) { return l ? l.calls + " / " + period(l.renewalPeriod) : "none"; }
  function emptyRow(body, columns, text) {
    body.appendChild(el("tr", {}, [el("td", { colspan: columns, className: "empty", text: text })]));
  }

  // ---- products the console knows (the last list loaded), for the product pickers -----------------------------
  function setProducts(list) { products = list; }
  function productOptions(select, selected, placeholder) {
    clear(select);
    if (placeholder) select.appendChild(el("option", { value: "", text: placeholder }));
    products.forEach(function (p) {
      var option = el("option", { value: p.id, text: p.name + " (" + p.id + ")" });
      if (p.id === selected) option.selected = true;
      select.appendChild(option);
    });
  }

  // ---- keys shown once ----------------------------------------------------------------------------------------
  function copyButton(label, getText) {
    var button = el("button", { type: "button", className: "copy", text: "Copy", "aria-label": "Copy the " + label });
    button.addEventListener("click", function () {
      var text = getText();
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Select and copy"; });
      else button.textContent = "Select and copy";
    });
    return button;
  }

  function revealKeys(title, subscription, keys) {
    var box = clear($("key-reveal"));
    box.appendChild(el("h3", { text: title }));
    box.appendChild(el("p", { text: "Subscription \u201c" + subscription.name + "\u201d (" + subscription.id + "). Copy now: a key is shown this once and never again." }));
    keys.forEach(function (k) {
      var code = el("code", { className: "secret", "data-testid": k.kind + "-key", text: k.value });
      box.appendChild(el("div", { className: "key-line" }, [el("span", { className: "key-label", text: k.kind + " key" }), code, copyButton(k.kind + " key", function () { return k.value; })]));
    });
    box.appendChild(el("button", { type: "button", className: "secondary", text: "Done, hide the keys", onclick: function () { clear(box); box.hidden = true; } }));
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  // The console's loader (window.MlFacadeAdmin.load, set by dashboard-admin.js, loaded last): run after each change.
  function reload() { return window.MlFacadeAdmin.load(); }

  return {
    $: $, el: el, clear: clear, call: call, showError: showError, notice: notice, when: when, limit: limit, emptyRow: emptyRow,
    setProducts: setProducts, productOptions: productOptions, revealKeys: revealKeys, reload: reload,
    /** Tells the dashboard that the key was refused. */
    unauthorized: function (message) { return onUnauthorized(message); },
    /** What to do when the key is refused (the dashboard shows its sign-in screen). */
    onUnauthorized: function (handler) { onUnauthorized = handler; },
  };
})();
`;
