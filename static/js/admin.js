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

  // The embed snippet's copy button; without the Clipboard API the readonly field stays.
  function copyButtons() {
    var button = document.querySelector("[data-copy-button]");
    if (!button || !navigator.clipboard) { return; }
    var source = document.querySelector("[data-copy-source]");
    var status = document.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(function () {
        status.textContent = button.getAttribute("data-copied");
      }, function () {
        source.select();
        status.textContent = button.getAttribute("data-failed");
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    revealMessage();
    confirmDangerous();
    copyButtons();
  });
})();
