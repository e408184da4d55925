// The "My subscription" page's browser script (served as /portal/me/my-subscription.js): asks for the subscriber's
// own subscription key once per tab (sessionStorage), reads …/workspaces/me, /me/usage, /me/jobs and /me/calls (its recent errors) with it (the
// Ocp-Apim-Subscription-Key header, nothing else), and regenerates a key after a confirmation, showing the new key
// once. When the regenerated key was the one in use, the page signs in again with the new one. The key, the calls
// and the sign-in form are subscriber-session.js's (shared with the batch page), loaded first; what the answers show
// is my-subscription-views.js's (MySubscriptionViews), loaded next.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const MY_SUBSCRIPTION_JS = `"use strict";
(function () {
  var session = window.SubscriberSession, views = window.MySubscriptionViews, usageChart = window.MyUsageChart;
  var REFRESH_MS = 30000;
  var ME = session.ME;
  var timer = null;
  var pending = null; // the key kind waiting for confirmation

  function $(id) { return document.getElementById(id); }
  var setState = session.setState, api = session.api, explain = session.explain, text = views.text;

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
      views.renderMe(me);
      var active = me.subscription.state === "active";
      $("regenerate-primary").disabled = !active;
      $("regenerate-secondary").disabled = !active;
      if (!active) {
        setState("ready", "Your subscription is " + me.subscription.state + ": usage and jobs need an active subscription.");
        return;
      }
      var dayAgo = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      var errors = ME + "/calls?errorsOnly=true&limit=20&from=" + encodeURIComponent(dayAgo);
      var range = $("usage-range").value;
      return Promise.all([api(ME + "/usage" + usageChart.query(range), key), api(ME + "/jobs?limit=20", key), api(errors, key)]).then(function (r) {
        views.renderUsage(r[0], usageChart.range(range));
        views.renderJobs(r[1]);
        views.renderErrors(r[2]);
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
  $("usage-range").addEventListener("change", function () { load(); });
  $("regenerate-primary").addEventListener("click", function () { askRegenerate("primary"); });
  $("regenerate-secondary").addEventListener("click", function () { askRegenerate("secondary"); });
  $("confirm-yes").addEventListener("click", regenerate);
  $("confirm-no").addEventListener("click", function () { pending = null; $("confirm").hidden = true; });
  $("copy-key").addEventListener("click", copyKey);
  $("hide-key").addEventListener("click", hideKey);
  load();
})();
`;
