// Staff page enhancements. Everything works without this file.
(function () {
  "use strict";

  // "Änderung nötig" and "Ablehnen" reveal the message field; "Freigeben" hides it.
  function revealMessage() {
    var group = document.querySelector("[data-revealed]");
    var radios = document.querySelectorAll("input[name='decision']");
    if (!group || !radios.length) { return; }
    function update() {
      var checked = document.querySelector("input[name='decision']:checked");
      var needsText = checked && checked.hasAttribute("data-reveals");
      var hasError = group.querySelector(".error-message");
      group.hidden = !(needsText || hasError);
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  // Ask once more before a permanent deletion.
  function confirmDangerous() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    revealMessage();
    confirmDangerous();
  });
})();
