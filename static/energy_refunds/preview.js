// The refund as the user types a fuel invoice: the server computes the request with the line
// being typed (one rounding rule, energy_refunds.amounts) and this script shows it beside the
// form, the saved amounts staying as they are; the unit follows the product chosen.
(function () {
  "use strict";
  var form = document.getElementById("fuel-invoice-form");
  if (!form) { return; }
  var units = JSON.parse(document.getElementById("product-units").textContent);
  var product = form.querySelector("[name=product]");
  var quantity = form.querySelector("[name=quantity]");
  var unit = form.querySelector("[name=unit]");
  var box = document.getElementById("refund-preview");
  var timer = null;

  function show(data) {
    var summary = box.querySelector("[data-preview=summary]");
    var lines = data.products.map(function (p) {
      return p.label + " : " + p.quantity_display + " " + p.unit +
        (p.amount === null ? " (—)" : " → " + p.amount_display + " €");
    });
    summary.textContent = lines.join(" ; ") + " — " + box.dataset.total + " " + data.display.gross + " €";
    var notes = box.querySelector("[data-preview=notes]");
    notes.textContent = "";
    data.notes.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      notes.appendChild(item);
    });
    box.hidden = false;
  }

  function refresh() {
    var params = new URLSearchParams({ product: product.value, quantity: quantity.value, unit: unit.value });
    fetch(form.dataset.previewUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { show(data); } });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  product.addEventListener("change", function () {
    if (units[product.value]) { unit.value = units[product.value]; }
    later();
  });
  quantity.addEventListener("input", later);
  unit.addEventListener("change", later);
})();
