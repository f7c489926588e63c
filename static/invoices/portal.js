/*
 * Supplier portal: saves round trips on pages that work without it.
 * - invoice form (and recycling an invoice sent back): directory suggestions for the recipient, the recipient's fields swapped in
 *   from the server, lines added in place, totals asked to the server as the user types;
 * - upload: progress of the upload (XMLHttpRequest) then of the processing of the flow;
 * - flow page: follows the processing and shows the report when it is done.
 * Nothing is computed here: amounts and rules come from the server.
 */
(function () {
  "use strict";

  function debounce(fn, delay) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, delay);
    };
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* Form data without the files: they are sent once, with the whole form. */
  function fieldsOnly(form) {
    var data = new FormData();
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.disabled || element.type === "file") { return; }
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) { return; }
      if (element.tagName === "BUTTON" || element.type === "submit") { return; }
      data.append(element.name, element.value);
    });
    return data;
  }

  function followFlow(statusUrl, onProgress, onFinal) {
    function poll() {
      fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          onProgress(state);
          if (state.final) { onFinal(state); } else { setTimeout(poll, 1000); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    poll();
  }

  /* The invoice form ------------------------------------------------------------------ */

  function initInvoiceForm(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-no-js]"), function (element) {
      element.hidden = true;
    });
    initRecipient(form);
    initCreditNote(form);
    initLines(form);
  }

  /* Recycling an invoice sent back: only its recipient part. */
  function initRecycleForm(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-no-js]"), function (element) {
      element.hidden = true;
    });
    initRecipient(form);
  }

  function initRecipient(form) {
    var siretInput = form.querySelector("#id_recipient_siret");
    var fields = form.querySelector("#recipient-fields");
    var fieldsUrl = form.dataset.recipientFieldsUrl;

    function refreshFields() {
      var params = new URLSearchParams();
      params.set("recipient_siret", siretInput.value.trim());
      ["service_code", "engagement"].forEach(function (name) {
        var element = form.querySelector("[name=" + name + "]");
        if (element) { params.set(name, element.value); }
      });
      fetch(fieldsUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) { fields.innerHTML = html; });
    }

    siretInput.addEventListener("change", refreshFields);
    fields.addEventListener("change", function (event) {
      if (event.target.name === "service_code") { refreshFields(); }
    });
    initSuggestions(form, siretInput, refreshFields);
  }

  /* A combobox with a listbox of suggestions (WAI-ARIA combobox pattern). */
  function initSuggestions(form, siretInput, onChosen) {
    var group = form.querySelector("[data-recipient-search]");
    var input = group.querySelector("[role=combobox]");
    var list = group.querySelector("[role=listbox]");
    var status = group.querySelector("[data-suggestions-status]");
    var url = form.dataset.recipientsUrl;
    var active = -1;
    group.hidden = false;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      siretInput.value = item.dataset.siret;
      input.value = item.dataset.label;
      close();
      status.textContent = item.dataset.label;
      onChosen();
    }

    var search = debounce(function () {
      var query = input.value.trim();
      if (query.length < 2) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          list.innerHTML = "";
          data.results.forEach(function (result, index) {
            var item = document.createElement("li");
            item.id = "recipient-suggestion-" + index;
            item.setAttribute("role", "option");
            item.setAttribute("aria-selected", "false");
            item.dataset.siret = result.siret;
            item.dataset.label = result.name + " (" + result.siret + ")";
            item.textContent = result.name + " — " + result.siret +
              (result.city ? " — " + result.postcode + " " + result.city : "");
            item.addEventListener("mousedown", function (event) {
              event.preventDefault();
              choose(item);
            });
            list.appendChild(item);
          });
          list.hidden = data.results.length === 0;
          input.setAttribute("aria-expanded", data.results.length ? "true" : "false");
          active = -1;
          status.textContent = data.message;
        });
    }, 250);

    input.addEventListener("input", search);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape") { close(); }
    });
  }

  function initCreditNote(form) {
    var type = form.querySelector("#id_type_code");
    var group = form.querySelector("[data-credit-note-only]");
    function toggle() { group.hidden = type.value !== "381"; }
    type.addEventListener("change", toggle);
    toggle();
  }

  function initLines(form) {
    var lines = form.querySelector("[data-lines]");
    var template = form.querySelector("#line-template");
    var total = form.querySelector("[name=lines-TOTAL_FORMS]");
    var exemption = form.querySelector("[data-exemption]");
    var totals = form.querySelector("#totals");
    var url = form.dataset.totalsUrl;

    if (exemption.hasAttribute("data-initially-hidden")) { exemption.hidden = true; }

    form.querySelector("[data-add-line]").addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(lines.querySelectorAll("[data-line]").length + 1));
      lines.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      form.querySelector("#id_lines-" + index + "-description").focus();
    });

    var refresh = debounce(function () {
      fetch(url, {
        method: "POST",
        body: fieldsOnly(form),
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) { return response.json(); })
        .then(function (data) { showTotals(data); });
    }, 300);

    function showTotals(data) {
      Array.prototype.forEach.call(lines.querySelectorAll("[data-line]"), function (row) {
        row.querySelector("[data-line-amount]").textContent = data.lines[row.dataset.line] || "—";
      });
      var body = totals.querySelector("[data-vat-breakdown]");
      body.innerHTML = "";
      data.vat_breakdown.forEach(function (group) {
        var tr = document.createElement("tr");
        [group.label, group.base, group.tax].forEach(function (text) {
          var td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      if (!data.vat_breakdown.length) {
        var empty = document.createElement("tr");
        var cell = document.createElement("td");
        cell.colSpan = 3;
        cell.textContent = body.dataset.emptyText;
        empty.appendChild(cell);
        body.appendChild(empty);
      }
      ["without_vat", "vat", "with_vat"].forEach(function (name) {
        totals.querySelector("[data-total=" + name + "]").textContent = data[name];
      });
      var reason = form.querySelector("#id_vat_exemption_reason");
      if (data.has_exempt_line) { exemption.hidden = false; }
      else if (!reason.value.trim()) { exemption.hidden = true; }
    }

    lines.addEventListener("input", refresh);
    lines.addEventListener("change", refresh);
  }

  /* Upload ----------------------------------------------------------------------------- */

  function initUpload(form) {
    if (!window.XMLHttpRequest || !window.FormData) { return; }
    var progressBox = form.querySelector("[data-progress]");
    var progress = progressBox.querySelector("progress");
    var label = progressBox.querySelector("[data-progress-label]");
    var text = progressBox.querySelector("[data-progress-text]");
    var errors = form.querySelector("[data-upload-errors]");
    var button = form.querySelector("button[type=submit]");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      errors.innerHTML = "";
      progressBox.hidden = false;
      progress.value = 0;
      label.textContent = progressBox.dataset.sendingLabel;
      button.disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round((100 * e.loaded) / e.total);
        progress.value = percent;
        text.textContent = percent + " %";
      });
      request.addEventListener("load", function () {
        var data = {};
        try { data = JSON.parse(request.responseText); } catch (ignored) { data = {}; }
        if (request.status !== 200) {
          button.disabled = false;
          progressBox.hidden = true;
          var messages = [];
          Object.keys(data.errors || {}).forEach(function (key) {
            messages = messages.concat(data.errors[key]);
          });
          if (!messages.length) { messages = [progressBox.dataset.failedText]; }
          messages.forEach(function (message) {
            var p = document.createElement("p");
            p.className = "fr-alert fr-alert--error fr-alert--sm";
            p.textContent = message;
            errors.appendChild(p);
          });
          return;
        }
        label.textContent = progressBox.dataset.processingLabel;
        progress.value = 0;
        text.textContent = data.message;
        followFlow(data.status_url, function (state) {
          progress.value = state.percent;
          text.textContent = state.message;
        }, function () {
          window.location.assign(data.flow_url);
        });
      });
      request.addEventListener("error", function () {
        button.disabled = false;
        progressBox.hidden = true;
        var p = document.createElement("p");
        p.className = "fr-alert fr-alert--error fr-alert--sm";
        p.textContent = progressBox.dataset.interruptedText;
        errors.appendChild(p);
      });
      request.send(new FormData(form));
    });
  }

  /* Flow page -------------------------------------------------------------------------- */

  function initFlowState(box) {
    if (box.dataset.final === "true") { return; }
    var progress = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    followFlow(box.dataset.statusUrl, function (state) {
      if (progress) { progress.value = state.percent; }
      if (text) { text.textContent = state.message; }
    }, function () {
      window.location.reload();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var invoiceForm = document.getElementById("invoice-form");
    if (invoiceForm) { initInvoiceForm(invoiceForm); }
    var recycleForm = document.getElementById("recycle-form");
    if (recycleForm) { initRecycleForm(recycleForm); }
    var upload = document.querySelector("[data-upload]");
    if (upload) { initUpload(upload); }
    var flowState = document.querySelector("[data-flow-state]");
    if (flowState) { initFlowState(flowState); }
  });
})();
