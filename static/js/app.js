// Progressive enhancements for every page. Everything works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Show only the quarters of the chosen district; the server validates the pair anyway.
  function linkDistrictAndQuarter() {
    var district = document.querySelector("[data-district-select]");
    var quarter = document.querySelector("[data-quarter-select]");
    if (!district || !quarter) { return; }
    var byDistrict = JSON.parse(quarter.getAttribute("data-quarters"));
    var all = Array.prototype.slice.call(quarter.options);
    function update() {
      var allowed = byDistrict[district.value];
      var keep = quarter.value;
      while (quarter.options.length) { quarter.remove(0); }
      all.forEach(function (option) {
        if (!option.value || !allowed || allowed.indexOf(option.value) !== -1) { quarter.add(option); }
      });
      quarter.value = allowed && allowed.indexOf(keep) === -1 ? "" : keep;
    }
    district.addEventListener("change", update);
    update();
  }

  // A weekday checkbox reveals its from/to inputs.
  function revealDayTimes() {
    document.querySelectorAll("[data-day]").forEach(function (day) {
      var toggle = day.querySelector("[data-day-toggle]");
      var times = day.querySelector("[data-day-times]");
      function update() {
        times.hidden = !toggle.checked;
        toggle.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
      }
      toggle.addEventListener("change", update);
      update();
    });
  }

  // Live character count for textareas with a limit.
  function countCharacters() {
    document.querySelectorAll("[data-count-for]").forEach(function (message) {
      var field = document.getElementById(message.getAttribute("data-count-for"));
      var limit = parseInt(field.getAttribute("data-maxlength"), 10);
      function update() {
        var left = limit - field.value.length;
        message.textContent = left >= 0
          ? "Noch " + left + " von " + limit + " Zeichen"
          : (-left) + " Zeichen zu viel";
        message.classList.toggle("error-message", left < 0);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // Ignore a second click while the first submission is on its way (the server also guards).
  function preventDoubleSubmit() {
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-submitting")) { event.preventDefault(); return; }
        form.setAttribute("data-submitting", "true");
        window.setTimeout(function () { form.removeAttribute("data-submitting"); }, 5000);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    linkDistrictAndQuarter();
    revealDayTimes();
    countCharacters();
    preventDoubleSubmit();
  });
})();
