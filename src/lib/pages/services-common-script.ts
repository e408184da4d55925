// What the services list and each service's page share, as source text inside each page's script (no global of its
// own): describeService (embedded from service-description.ts), DOM helpers, the service document fetch, and start(),
// which signs in with the subscriber's own key (SubscriberSession, loaded first), reads …/workspaces/me/services and
// hands the entries to the page. A string in a .ts module (no backticks or dollar-brace inside but the embedded
// function): tsc copies nothing else into dist.
import { describeService } from './service-description.js';

export const SERVICES_COMMON_JS = `
  var S = window.SubscriberSession;
  ${describeService.toString()}

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function enc(s) { return encodeURIComponent(s); }
  function pageOf(entry) { return "/portal/me/services/" + enc(entry.workspace) + "/" + enc(entry.service); }
  function badges(operations) {
    var box = el("span", "badges");
    operations.forEach(function (o) { box.appendChild(el("span", "badge " + o, o === "rrs" ? "RRS · request-response" : "BES · batch")); });
    return box;
  }

  function documentOf(entry) {
    var path = S.BASE + "/workspaces/" + enc(entry.workspace) + "/services/" + enc(entry.service) + "/swagger.json";
    return fetch(path, { cache: "no-store" }).then(function (res) {
      if (!res.ok) return res.text().then(function (text) { throw S.failure(res.status, text, res.headers.get("x-ms-request-id")); });
      return res.json();
    }, function () { throw S.unreachable(); });
  }

  // Signs in, reads the services the product allows and renders them; a key the gateway refuses is asked for again.
  function start(render) {
    function load() {
      if (!S.key()) return S.showSignIn();
      $("content").hidden = false;
      S.setState("loading", "Loading…");
      return S.api(S.ME + "/services").then(render).then(function () {
        S.setState("ready", "");
      }).catch(function (error) {
        if (S.refusesKey(error)) {
          S.forget();
          $("content").hidden = true;
          return S.showSignIn(S.explain(error));
        }
        S.setState("error", S.describe(error));
      });
    }
    S.onSignIn(load);
    $("sign-out").addEventListener("click", function () { S.forget(); $("content").hidden = true; S.showSignIn(); });
    load();
  }
`;
