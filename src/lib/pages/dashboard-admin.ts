// The dashboard's admin console (served as /manage/dashboard/dashboard-admin.js): the "Admin" tab. It calls only
// the management API, with the admin key the dashboard keeps in sessionStorage: subscriptions (create with both keys
// shown once, suspend, reactivate, cancel, regenerate a key, move to another product, delete), products (create,
// edit, delete; the API's 400 details shown next to the field each names), catalogue entries (view and edit as
// JSON; the API's 400 details listed) and the newest audit entries. Every piece of API data goes into the page as
// text (textContent, option labels, textarea values): never as markup. Plain ES2017 in a string, like the rest.
export const DASHBOARD_ADMIN_JS = String.raw`"use strict";
(function () {
  var KEY = "ml-facade.adminKey";
  var AUDIT_LIMIT = 50;
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

  // ---- subscriptions ------------------------------------------------------------------------------------------
  function productOptions(select, selected, placeholder) {
    clear(select);
    if (placeholder) select.appendChild(el("option", { value: "", text: placeholder }));
    products.forEach(function (p) {
      var option = el("option", { value: p.id, text: p.name + " (" + p.id + ")" });
      if (p.id === selected) option.selected = true;
      select.appendChild(option);
    });
  }

  function subscriptionAction(subscription, label, action, run, confirmText) {
    return el("button", {
      type: "button", "data-action": action, text: label,
      onclick: function () {
        if (confirmText && !window.confirm(confirmText)) return;
        showError($("subscriptions-error"));
        run().then(function (message) { notice(message); return reload(); }).catch(function (error) { showError($("subscriptions-error"), error); });
      },
    });
  }

  function patch(subscription, change, message) {
    return function () { return call("PATCH", "/manage/subscriptions/" + encodeURIComponent(subscription.id), change).then(function () { return message; }); };
  }

  function regenerate(subscription, kind) {
    return function () {
      return call("POST", "/manage/subscriptions/" + encodeURIComponent(subscription.id) + "/regenerate?key=" + kind).then(function (body) {
        revealKeys("New " + kind + " key", body, [{ kind: kind, value: body[kind + "Key"] }]);
        return "A new " + kind + " key for \u201c" + subscription.name + "\u201d: the old one no longer works.";
      });
    };
  }

  function renderSubscriptions(list) {
    var body = clear($("subscriptions-body"));
    var sorted = (list || []).slice().sort(function (a, b) { return String(a.name).localeCompare(String(b.name)) || String(a.id).localeCompare(String(b.id)); });
    if (!sorted.length) return emptyRow(body, 6, "No subscriptions yet.");
    sorted.forEach(function (s) {
      var final = s.state === "cancelled";
      var move = el("select", { "data-role": "move-to", "aria-label": "Move " + s.name + " to product", disabled: final });
      productOptions(move, s.productId);
      var actions = el("div", { className: "actions" }, final ? [] : [
        s.state === "suspended"
          ? subscriptionAction(s, "Reactivate", "reactivate", patch(s, { state: "active" }, "Reactivated \u201c" + s.name + "\u201d."))
          : subscriptionAction(s, "Suspend", "suspend", patch(s, { state: "suspended" }, "Suspended \u201c" + s.name + "\u201d: its calls get 403.")),
        subscriptionAction(s, "Cancel", "cancel", patch(s, { state: "cancelled" }, "Cancelled \u201c" + s.name + "\u201d (final)."),
          "Cancel \u201c" + s.name + "\u201d? A cancelled subscription cannot be reactivated."),
        subscriptionAction(s, "New primary", "regenerate-primary", regenerate(s, "primary"), "Replace the primary key of \u201c" + s.name + "\u201d? The current one stops working at once."),
        subscriptionAction(s, "New secondary", "regenerate-secondary", regenerate(s, "secondary"), "Replace the secondary key of \u201c" + s.name + "\u201d? The current one stops working at once."),
        move,
        subscriptionAction(s, "Move", "move", function () {
          if (move.value === s.productId) return Promise.resolve("\u201c" + s.name + "\u201d is on " + s.productId + " already.");
          return patch(s, { productId: move.value }, "Moved \u201c" + s.name + "\u201d to " + move.value + ".")();
        }),
      ]);
      actions.appendChild(subscriptionAction(s, "Delete", "delete", function () {
        return call("DELETE", "/manage/subscriptions/" + encodeURIComponent(s.id)).then(function () { return "Deleted \u201c" + s.name + "\u201d: its keys no longer work."; });
      }, "Delete \u201c" + s.name + "\u201d? Its keys stop working at once (its usage history stays)."));
      body.appendChild(el("tr", { "data-subscription-id": s.id, "data-state": s.state }, [
        el("td", { text: s.name }),
        el("td", { className: "id", text: s.id }),
        el("td", { text: s.productId }),
        el("td", {}, [el("span", { className: "state sub-" + s.state, text: s.state })]),
        el("td", { text: s.expiresAt ? when(s.expiresAt) : "never" }),
        el("td", {}, [actions]),
      ]));
    });
  }

  $("subscription-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var input = { name: form.elements.name.value, productId: form.elements.productId.value };
    if (form.elements.expiresAt.value) {
      var at = new Date(form.elements.expiresAt.value);
      input.expiresAt = isNaN(at.getTime()) ? form.elements.expiresAt.value : at.toISOString();
    }
    showError($("subscriptions-error"));
    call("POST", "/manage/subscriptions", input).then(function (created) {
      form.reset();
      revealKeys("Subscription created: its keys", created, [{ kind: "primary", value: created.primaryKey }, { kind: "secondary", value: created.secondaryKey }]);
      notice("Created \u201c" + created.name + "\u201d on " + created.productId + ".");
      return reload();
    }).catch(function (error) { showError($("subscriptions-error"), error); });
  });

  // ---- products -----------------------------------------------------------------------------------------------
  function fieldOf(target) { return String(target || "").split(/[.\[]/)[0]; }

  function clearFieldErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-error-for]"), function (slot) { slot.textContent = ""; });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (input) { input.removeAttribute("aria-invalid"); });
  }

  // Each 400 detail next to the field its target names; what names no field stays in the form's own list.
  function showFieldErrors(form, box, error) {
    clearFieldErrors(form);
    var placed = function (d) {
      var slot = form.querySelector('[data-error-for="' + fieldOf(d.target).replace(/[^\w-]/g, "") + '"]');
      if (!slot || !d.target) return false;
      slot.appendChild(el("span", { "data-code": d.code, "data-target": d.target, text: d.target + ": " + d.message }));
      Array.prototype.forEach.call(form.querySelectorAll('[data-field="' + fieldOf(d.target) + '"]'), function (input) { input.setAttribute("aria-invalid", "true"); });
      return true;
    };
    var unplaced = (error.details || []).filter(function (d) { return !placed(d); });
    showError(box, error, function (d) { return unplaced.indexOf(d) < 0; });
  }

  function editProduct(p) {
    var form = $("product-form");
    clearFieldErrors(form);
    showError($("product-form-error"));
    form.elements.id.value = p ? p.id : "";
    form.elements.id.readOnly = Boolean(p);
    form.elements.name.value = p ? p.name : "";
    form.elements.rateCalls.value = p && p.rateLimit ? p.rateLimit.calls : "";
    form.elements.ratePeriod.value = p && p.rateLimit ? p.rateLimit.renewalPeriod : "";
    form.elements.quotaCalls.value = p && p.quota ? p.quota.calls : "";
    form.elements.quotaPeriod.value = p && p.quota ? p.quota.renewalPeriod : "";
    form.elements.opRrs.checked = !p || p.operations.indexOf("rrs") >= 0;
    form.elements.opBes.checked = !p || p.operations.indexOf("bes") >= 0;
    form.elements.services.value = p && p.services ? p.services.join("\n") : "";
    $("product-form-title").textContent = p ? "Edit product " + p.id : "New product";
    $("product-submit").textContent = p ? "Save product" : "Create product";
    if (p) form.scrollIntoView({ block: "nearest" });
  }

  // A number where the field holds one; else what was typed (the API says what is wrong with it).
  function numberOrText(value) { return value.trim() !== "" && !isNaN(Number(value)) ? Number(value) : value; }
  function limitOf(calls, renewal) {
    if (!calls.value && !renewal.value) return null;
    var out = {};
    if (calls.value) out.calls = numberOrText(calls.value);
    if (renewal.value) out.renewalPeriod = numberOrText(renewal.value);
    return out;
  }

  $("product-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var id = form.elements.id.value.trim();
    clearFieldErrors(form);
    showError($("product-form-error"));
    if (!id) {
      form.querySelector('[data-error-for="id"]').textContent = "id: required (lower-case letters, digits and \u201c-\u201d)";
      return;
    }
    var input = {
      name: form.elements.name.value,
      rateLimit: limitOf(form.elements.rateCalls, form.elements.ratePeriod),
      quota: limitOf(form.elements.quotaCalls, form.elements.quotaPeriod),
      operations: [form.elements.opRrs.checked && "rrs", form.elements.opBes.checked && "bes"].filter(Boolean),
    };
    var services = form.elements.services.value.split(/[\n,]/).map(function (s) { return s.trim(); }).filter(Boolean);
    if (services.length) input.services = services;
    call("PUT", "/manage/products/" + encodeURIComponent(id), input).then(function (product) {
      notice("Saved product " + product.id + " (" + product.name + ").");
      editProduct(null);
      return reload();
    }, function (error) {
      if (error.unauthorized) return onUnauthorized(error.message);
      showFieldErrors(form, $("product-form-error"), error);
    });
  });
  $("product-new").addEventListener("click", function () { editProduct(null); });

  function renderProducts(list) {
    products = (list || []).slice().sort(function (a, b) { return String(a.id).localeCompare(String(b.id)); });
    var body = clear($("products-body"));
    products.forEach(function (p) {
      body.appendChild(el("tr", { "data-product-id": p.id }, [
        el("td", { className: "id", text: p.id }),
        el("td", { text: p.name }),
        el("td", { text: limit(p.rateLimit) }),
        el("td", { text: limit(p.quota) }),
        el("td", { text: (p.operations || []).join(", ") }),
        el("td", { className: "wrap", text: p.services ? p.services.join(", ") : "every service" }),
        el("td", {}, [el("div", { className: "actions" }, [
          el("button", { type: "button", "data-action": "edit", text: "Edit", onclick: function () { editProduct(p); } }),
          el("button", {
            type: "button", "data-action": "delete", text: "Delete",
            onclick: function () {
              if (!window.confirm("Delete product " + p.id + " (" + p.name + ")?")) return;
              showError($("products-error"));
              call("DELETE", "/manage/products/" + encodeURIComponent(p.id)).then(function () {
                notice("Deleted product " + p.id + ".");
                return reload();
              }, function (error) { showError($("products-error"), error); });
            },
          }),
        ])]),
      ]));
    });
    productOptions($("subscription-product"), $("subscription-product").value || "starter");
  }

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
      renderProducts(r[0]);
      renderSubscriptions(r[1]);
      renderCatalogue(r[2]);
      renderAudit(r[3]);
      document.body.setAttribute("data-admin-loaded", new Date().toISOString());
    });
  }

  window.MlFacadeAdmin = {
    load: reload,
    /** What to do when the key is refused (the dashboard shows its sign-in screen). */
    onUnauthorized: function (handler) { onUnauthorized = handler; },
  };
})();
`;
