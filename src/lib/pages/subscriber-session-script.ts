// What the subscriber's pages (/portal/me and /portal/me/batch) share, served as /portal/me/subscriber-session.js
// and loaded before each page's own script: the subscriber's OWN key, kept in this tab's sessionStorage under one
// name (signed in on one page, signed in on the other), calls with it in the Ocp-Apim-Subscription-Key header and
// nothing else, classic errors turned into plain words (with the request id to quote), and the sign-in form.
// A string in a .ts module (no backticks or dollar-brace inside): tsc copies nothing else into dist.
export const SUBSCRIBER_SESSION_JS = `"use strict";
window.SubscriberSession = (function () {
  var KEY = "ml-facade.subscription-key";
  var BASE = (document.querySelector('meta[name="api-base"]') || {}).content || "";
  function $(id) { return document.getElementById(id); }

  function key() { return sessionStorage.getItem(KEY); }
  function remember(value) { sessionStorage.setItem(KEY, value); }
  function forget() { sessionStorage.removeItem(KEY); }

  function setState(state, text) {
    document.body.setAttribute("data-state", state);
    $("status").textContent = text || "";
  }

  // A refused call as an Error: the classic body's message (else the HTTP status), its code, the messages of its
  // details (which say what exactly, e.g. which column) and the request id.
  function failure(status, text, requestId) {
    var body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    var detail = body && body.error ? body.error : null;
    var error = new Error(detail && detail.message ? detail.message : "HTTP " + status);
    error.status = status;
    error.code = detail ? detail.code : undefined;
    error.details = (detail && Array.isArray(detail.details) ? detail.details : [])
      .map(function (d) { return d && d.message; })
      .filter(function (m) { return typeof m === "string" && m && m !== error.message; });
    error.requestId = requestId || undefined;
    return error;
  }
  function unreachable() {
    var error = new Error("The gateway could not be reached. Check your connection and try again.");
    error.status = 0;
    return error;
  }

  // One call with the key; resolves with the Response when it is 2xx, else rejects with failure().
  function send(path, options) {
    options = options || {};
    var headers = { "Ocp-Apim-Subscription-Key": options.key || key() };
    if (options.contentType) headers["Content-Type"] = options.contentType;
    return fetch(path, { method: options.method || "GET", headers: headers, body: options.body, cache: "no-store" })
      .then(function (res) {
        if (res.ok) return res;
        return res.text().then(function (text) { throw failure(res.status, text, res.headers.get("x-ms-request-id")); });
      }, function () { throw unreachable(); });
  }

  // A JSON call (null for an empty body).
  function api(path, withKey, method, body) {
    var options = { key: withKey, method: method };
    if (body !== undefined) { options.body = JSON.stringify(body); options.contentType = "application/json"; }
    return send(path, options).then(function (res) {
      return res.text().then(function (text) { return text ? JSON.parse(text) : null; });
    });
  }

  function explain(error) {
    if (error.status === 401) return "This subscription key is not valid. Check that you copied the whole key (a regenerated key replaces the old one).";
    if (error.status === 403) return "This subscription cannot be used: " + error.message;
    if (error.status === 429) return "Too many attempts with wrong keys from here: wait a minute and try again.";
    return error.message;
  }
  // explain() with the details and the request id, for errors worth reporting.
  function describe(error) {
    var details = error.details && error.details.length ? " " + error.details.join("; ") + "." : "";
    return explain(error).replace(/([^.])$/, "$1.") + details + (error.requestId ? " (Request id " + error.requestId + ")" : "");
  }
  // A refusal that means the key itself is no good: the page forgets it and asks again.
  function refusesKey(error) { return error.status === 401 || error.status === 403 || error.status === 429; }

  function showSignIn(message) {
    $("login-panel").hidden = false;
    $("login-error").textContent = message || "";
    setState("locked", "");
    if (message) document.body.setAttribute("data-login-error", "true");
    else document.body.removeAttribute("data-login-error");
    $("subscription-key").focus();
  }

  // The sign-in form: keeps the key for this tab, then hands over to the page.
  function onSignIn(signedIn) {
    $("login").addEventListener("submit", function (event) {
      event.preventDefault();
      var value = $("subscription-key").value.trim();
      if (!value) return;
      remember(value);
      $("subscription-key").value = "";
      $("login-error").textContent = "";
      document.body.removeAttribute("data-login-error");
      $("login-panel").hidden = true;
      signedIn();
    });
  }

  return {
    BASE: BASE, ME: BASE + "/workspaces/me", key: key, remember: remember, forget: forget, setState: setState,
    failure: failure, unreachable: unreachable, send: send, api: api, explain: explain, describe: describe,
    refusesKey: refusesKey, showSignIn: showSignIn, onSignIn: onSignIn,
  };
})();
`;
