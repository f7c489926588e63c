/*
 * Agent's invoice page: picking a motive preselects the outcome it allows that disrupts the
 * supplier least, and says why. The proposal comes from the server (data attributes of the
 * motive's option); without JavaScript, posting without an outcome gets the same proposal.
 */
(function () {
  "use strict";

  document.querySelectorAll("form.chorus-dispute").forEach(function (form) {
    var select = form.querySelector("select[name='dispute-motive']");
    var proposal = form.querySelector("#dispute-proposal");
    if (!select || !proposal) { return; }
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var outcome = option && option.dataset.outcome;
      if (!outcome) {
        proposal.hidden = true;
        return;
      }
      var radio = form.querySelector("input[name='dispute-outcome'][value='" + outcome + "']");
      if (radio) { radio.checked = true; }
      var label = radio ? form.querySelector("label[for='" + radio.id + "']").textContent.trim() : "";
      proposal.querySelector("p").textContent = proposal.dataset.prefix + " " + label + ". " + option.dataset.why;
      proposal.hidden = false;
    });
  });
})();
