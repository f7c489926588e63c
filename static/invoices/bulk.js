/*
 * Bulk operations of the agents' inbox:
 * - the header checkbox ticks or unticks every invoice of the page;
 * - an operation's page asks for its progress every two seconds (JSON), moves the bar and
 *   the figures, and reloads once the operation is finished to show its result.
 * Without JavaScript, the page offers a link to refresh it.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-bulk-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[data-bulk-invoice]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });

  var progress = document.querySelector("[data-bulk-progress]");
  if (!progress || progress.dataset.finished === "1") { return; }
  var bar = progress.querySelector("progress");

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    ["status_label", "done", "refused", "total"].forEach(function (name) {
      var field = progress.querySelector("[data-field='" + name + "']");
      if (field) { field.textContent = state[name]; }
    });
  }

  function poll() {
    fetch(progress.dataset.bulkProgress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
