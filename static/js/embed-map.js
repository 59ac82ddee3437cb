// The map of /einbetten/karte: one marker per listed entry; popups built from text nodes,
// links open the full site in a new tab. Without JavaScript the list is the whole page.
(function () {
  "use strict";

  function popup(node, point) {
    var box = document.createElement("div");
    var name = document.createElement("p");
    name.className = "popup__name";
    name.textContent = point.name;
    var link = document.createElement("a");
    link.href = node.getAttribute("data-page-url").replace("SLUG", encodeURIComponent(point.slug));
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = node.getAttribute("data-details");
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + node.getAttribute("data-new-tab");
    link.appendChild(hidden);
    box.appendChild(name);
    box.appendChild(link);
    return box;
  }

  function start() {
    var node = document.querySelector("[data-embed-map]");
    if (!node || !window.L) { return; }
    var points = JSON.parse(node.getAttribute("data-points"));
    // Leaflet guesses its image folder from its CSS and, before that CSS applies, guesses
    // a wrong one (".../1.9.3marker-icon.png"): name it.
    var leafletCss = document.querySelector('link[href$="leaflet.css"]');
    if (leafletCss) L.Icon.Default.imagePath = leafletCss.href.replace(/leaflet\.css$/, 'images/');
    var map = L.map(node, { scrollWheelZoom: false });
    L.tileLayer(node.getAttribute("data-tile-url"), {
      attribution: node.getAttribute("data-tile-attribution"), maxZoom: 19
    }).addTo(map);
    var markers = points.map(function (point) {
      return L.marker([point.lat, point.lon], { title: point.name, alt: point.name })
        .bindPopup(function () { return popup(node, point); }).addTo(map);
    });
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [24, 24], maxZoom: 15 });
    } else {
      map.setView(JSON.parse(node.getAttribute("data-center")), Number(node.getAttribute("data-zoom")));
    }
    node.setAttribute("data-ready", String(markers.length));
  }

  document.addEventListener("DOMContentLoaded", start);
})();
