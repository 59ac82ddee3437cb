// On narrow screens /karte shows the list or the map, switched by two real buttons
// ("Liste" / "Karte", aria-pressed). The list comes first; wide screens show both.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 959px)");

  function setUp(layout) {
    var bar = document.createElement("div");
    bar.className = "view-toggle";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", layout.getAttribute("data-toggle-label"));
    var buttons = ["list", "map"].map(function (view) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "view-toggle__button";
      button.textContent = layout.getAttribute("data-toggle-" + view);
      button.addEventListener("click", function () { show(view); });
      bar.appendChild(button);
      return { view: view, node: button };
    });
    layout.parentNode.insertBefore(bar, layout);

    function show(view) {
      var wide = !narrow.matches;
      bar.hidden = wide;
      layout.classList.toggle("map-layout--list", !wide && view === "list");
      layout.classList.toggle("map-layout--map", !wide && view === "map");
      buttons.forEach(function (b) { b.node.setAttribute("aria-pressed", String(b.view === view)); });
      if (wide || view === "map") { document.dispatchEvent(new CustomEvent("map:shown")); }
      current = view;
    }

    var current = "list";
    show(current);
    narrow.addEventListener("change", function () { show(current); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var layout = document.querySelector("[data-view-toggle]");
    if (layout) { setUp(layout); }
  });
})();
