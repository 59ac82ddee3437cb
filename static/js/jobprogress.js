// Progress of a background job: poll its JSON instead of reloading the page every 2 seconds.
// Without JavaScript the page refreshes itself (meta refresh in noscript) and shows the same.
(function () {
  "use strict";

  function poll(box) {
    var bar = box.querySelector("progress"), text = box.querySelector("[data-job-text]");
    var template = box.getAttribute("data-running-text");
    fetch(box.getAttribute("data-status-url"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.finished) { window.location.replace(status.page); return; }
        bar.max = status.total || 1;
        bar.value = status.done;
        // A page may leave the wording (with its number format) to the server: status.text.
        var next = status.text || template.replace("{done}", status.done).replace("{total}", status.total);
        if (text.textContent !== next) { text.textContent = next; }  // the live region speaks news only
        setTimeout(function () { poll(box); }, 1000);
      })
      .catch(function () { setTimeout(function () { poll(box); }, 5000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-job-progress]");
    if (!box || box.hasAttribute("data-finished")) { return; }
    poll(box);
  });
})();
