// The admin console's subscriptions (served as /manage/dashboard/dashboard-admin-subscriptions.js, after
// dashboard-admin-kit.js, as window.MlFacadeAdminSubscriptions): the table with each subscription's actions (suspend,
// reactivate, cancel, regenerate a key, move to another product, delete; those that cannot be undone asked first) and
// the form that creates one, its two keys shown once. After each change the console reloads (dashboard-admin.js
// draws this table from its load). API data goes in as text, never as markup. Plain ES2017 in a string, like the rest.
export const DASHBOARD_ADMIN_SUBSCRIPTIONS_JS = String.raw`"use strict";
window.MlFacadeAdminSubscriptions = (function (Kit) {
  var $ = Kit.$, el = Kit.el, clear = Kit.clear, call = Kit.call, showError = Kit.showError, notice = Kit.notice;
  var when = Kit.when, emptyRow = Kit.emptyRow, productOptions = Kit.productOptions, revealKeys = Kit.revealKeys, reload = Kit.reload;

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

  return { render: renderSubscriptions };
})(window.MlFacadeAdminKit);
`;
