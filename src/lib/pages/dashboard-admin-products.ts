// The admin console's products (served as /manage/dashboard/dashboard-admin-products.js, after
// dashboard-admin-kit.js, as window.MlFacadeAdminProducts): the table (edit, delete after a confirmation) and the
// form that creates or edits one, the API's 400 details shown next to the field each names (what names no field
// stays in the form's own list). Drawing the table also refreshes the kit's product list and the new subscription's
// product picker. API data goes in as text, never as markup. Plain ES2017 in a string, like the rest.
export const DASHBOARD_ADMIN_PRODUCTS_JS = String.raw`"use strict";
window.MlFacadeAdminProducts = (function (Kit) {
  var $ = Kit.$, el = Kit.el, clear = Kit.clear, call = Kit.call, showError = Kit.showError, notice = Kit.notice;
  var limit = Kit.limit, productOptions = Kit.productOptions, reload = Kit.reload, unauthorized = Kit.unauthorized;

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
      if (error.unauthorized) return unauthorized(error.message);
      showFieldErrors(form, $("product-form-error"), error);
    });
  });
  $("product-new").addEventListener("click", function () { editProduct(null); });

  function renderProducts(list) {
    var products = (list || []).slice().sort(function (a, b) { return String(a.id).localeCompare(String(b.id)); });
    Kit.setProducts(products);
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

  return { render: renderProducts };
})(window.MlFacadeAdminKit);
`;
