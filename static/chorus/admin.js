// The admin's Select2 boxes (autocomplete fields) name neither their closed box nor their
// search field: both get the label of the select they stand for. Runs once Select2 has drawn
// them (a jQuery ready handler queued after autocomplete.js's own: this script is deferred),
// and again for each inline row added.
"use strict";
(function () {
  function labelSelect2(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = document.querySelector('label[for="' + select.id + '"]');
      const container = select.nextElementSibling;
      if (!label || !container || !container.classList.contains("select2")) {
        return;
      }
      const name = label.textContent.replace(/\s*:\s*$/, "").trim();
      container.querySelectorAll(".select2-selection, .select2-selection__rendered, .select2-search__field")
        .forEach(function (element) {
          element.removeAttribute("aria-labelledby");
          element.setAttribute("aria-label", name);
        });
    });
  }
  if (window.django && window.django.jQuery) {
    window.django.jQuery(function () {
      labelSelect2(document);
    });
  }
  document.addEventListener("formset:added", function (event) {
    labelSelect2(event.target);
  });
})();
