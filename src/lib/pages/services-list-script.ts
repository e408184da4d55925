// The services list's script (served as /portal/me/services-list.js, after subscriber-session.js): one card per
// service the subscriber's product allows, linking to its page. A string in a .ts module (no backticks or dollar-brace
// inside but the shared part): tsc copies nothing else into dist.
import { SERVICES_COMMON_JS } from './services-common-script.js';

export const SERVICES_LIST_JS = `"use strict";
(function () {
${SERVICES_COMMON_JS}
  // A card says what the catalogue says; what it leaves out (title, description) comes from the service's document.
  var DESCRIBED_CARDS = 50;
  function renderList(entries) {
    var box = $("services");
    box.textContent = "";
    if (!entries.length) box.appendChild(el("p", "notice", "Your product allows no service yet: ask the API's owner."));
    return Promise.all(entries.map(function (entry, i) {
      var name = entry.workspace + "/" + entry.service;
      var card = el("a", "card panel");
      card.href = pageOf(entry);
      card.setAttribute("data-service", name);
      var title = card.appendChild(el("h2", "", entry.title || entry.service));
      card.appendChild(el("div", "mono muted", name));
      var about = card.appendChild(el("p", "about", entry.description || ""));
      card.appendChild(badges(entry.operations));
      card.appendChild(el("span", "open", "Schemas, example and code samples →"));
      box.appendChild(card);
      if ((entry.title && entry.description) || i >= DESCRIBED_CARDS) return null;
      return documentOf(entry).then(function (doc) {
        var d = describeService(doc, location.origin);
        if (!entry.title) title.textContent = d.title;
        if (!entry.description) about.textContent = d.description;
      }, function () { /* the card keeps the catalogue's words */ });
    }));
  }

  document.querySelector('header [data-testid="services-link"]').setAttribute("aria-current", "page");
  start(renderList);
})();
`;
