// Place the entry's location on a small map: click or drag the pin, or centre the map and
// press the button. The latitude/longitude inputs stay the accessible source of truth.
// Leaflet is loaded only when the map is first shown, so the form stays light on phones.
(function () {
  "use strict";

  function number(input) {
    var value = parseFloat((input.value || "").replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function picker(node) {
    var form = node.closest("form");
    var latInput = form.querySelector("#" + node.getAttribute("data-lat-input"));
    var lonInput = form.querySelector("#" + node.getAttribute("data-lon-input"));
    var bounds = JSON.parse(node.getAttribute("data-bounds"));
    // Leaflet guesses its image folder from its CSS and, before that CSS applies, guesses
    // a wrong one (".../1.9.3marker-icon.png"): name it.
    var leafletCss = document.querySelector('link[href$="leaflet.css"]');
    if (leafletCss) L.Icon.Default.imagePath = leafletCss.href.replace(/leaflet\.css$/, 'images/');
    var map = L.map(node, { scrollWheelZoom: false, maxBounds: L.latLngBounds(bounds).pad(0.5) });
    L.tileLayer(node.getAttribute("data-tile-url"), {
      attribution: node.getAttribute("data-tile-attribution"), maxZoom: 19
    }).addTo(map);
    var marker = null;

    function place(latlng, fill) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, title: node.getAttribute("data-marker-title"),
                                    alt: node.getAttribute("data-marker-title"), keyboard: true });
        marker.on("dragend", function () { place(marker.getLatLng(), true); });
        marker.addTo(map);
      }
      marker.setLatLng(latlng);
      if (fill) {
        latInput.value = latlng.lat.toFixed(6);
        lonInput.value = latlng.lng.toFixed(6);
      }
    }

    function fromInputs() {
      var lat = number(latInput), lon = number(lonInput);
      if (lat !== null && lon !== null) { place(L.latLng(lat, lon), false); return true; }
      return false;
    }

    if (fromInputs()) {
      map.setView(marker.getLatLng(), 17);
    } else {
      map.setView(JSON.parse(node.getAttribute("data-center")), parseInt(node.getAttribute("data-zoom"), 10));
    }
    map.on("click", function (event) { place(event.latlng, true); });
    map.on("focus click", function () { map.scrollWheelZoom.enable(); });
    map.on("blur", function () { map.scrollWheelZoom.disable(); });
    [latInput, lonInput].forEach(function (input) { input.addEventListener("change", fromInputs); });
    var button = form.querySelector("[data-pin-centre]");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { place(map.getCenter(), true); });
    }
  }

  var leaflet = null;

  function loadLeaflet(node) {
    if (!leaflet) {
      leaflet = new Promise(function (resolve, reject) {
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = node.getAttribute("data-leaflet-css");
        document.head.appendChild(css);
        var script = document.createElement("script");
        script.src = node.getAttribute("data-leaflet-js");
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return leaflet;
  }

  function whenShown(node) {
    var details = node.closest("details");
    function show() { loadLeaflet(node).then(function () { picker(node); }); }
    if (!details || details.open) { show(); return; }
    details.addEventListener("toggle", function once() {
      if (details.open) { details.removeEventListener("toggle", once); show(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-pin-picker]").forEach(whenShown);
  });
})();
