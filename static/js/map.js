// Map and list on /karte, small map on /betrieb/<slug>. The page works without this file.
// Data comes from the compact payload at data-payload-url (campaign/public/map_data.py);
// every text from data is set with textContent. Filtering follows campaign/public/search.py
// exactly, so map, list and server agree.
(function () {
  "use strict";
  if (!window.L) { return; }  // Leaflet missing: the list alone is the page
  var PAGE_SIZE = 20;
  var WEEKDAY_INDEX = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return String(values[key]); });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // ---- time in Europe/Berlin, whatever the device's zone ----
  var berlinParts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Berlin", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  function berlinNow() {
    var parts = {};
    berlinParts.formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return { day: WEEKDAY_INDEX[parts.weekday], time: parts.hour + ":" + parts.minute };
  }

  function shortTime(value) { return String(parseInt(value.split(":")[0], 10)) + ":" + value.split(":")[1]; }

  function sortedSlots(dropIn) {
    return (dropIn.slots || []).slice().sort(function (a, b) {
      return a.day - b.day || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
    });
  }

  function isOpen(dropIn, now) {
    return sortedSlots(dropIn).some(function (s) { return s.day === now.day && s.start <= now.time && now.time < s.end; });
  }

  // Same sentences as campaign/dropin.status_text.
  function statusText(dropIn, now, texts) {
    var slots = sortedSlots(dropIn || {});
    if (!slots.length) { return dropIn && dropIn.opening_hours ? texts.opening_hours : texts.no_times; }
    var today = slots.filter(function (s) { return s.day === now.day; });
    for (var i = 0; i < today.length; i++) {
      if (today[i].start <= now.time && now.time < today[i].end) { return fmt(texts.open_until, { end: shortTime(today[i].end) }); }
    }
    for (i = 0; i < today.length; i++) {
      if (now.time < today[i].start) { return fmt(texts.later_today, { start: shortTime(today[i].start) }); }
    }
    for (var offset = 1; offset < 8; offset++) {
      var day = (now.day + offset) % 7;
      var later = slots.filter(function (s) { return s.day === day; });
      if (later.length) { return fmt(texts.next_day, { day: texts.weekdays[day], start: shortTime(later[0].start) }); }
    }
    return texts.no_times;
  }

  function distanceKm(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180, p1 = lat1 * rad, p2 = lat2 * rad;
    var dp = p2 - p1, dl = (lon2 - lon1) * rad;
    var a = Math.pow(Math.sin(dp / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
  }

  function formatKm(km, texts) { return km.toFixed(1).replace(".", texts.decimal || ",") + " km"; }

  function round4(value) { return Math.round(value * 1e4) / 1e4; }

  // The same folding as campaign/core/text.fold: "Bäckerei", "Baeckerei", "backerei" match.
  var FOLD_LETTERS = { "ß": "ss", "ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ς": "σ" };
  var FOLD_PATTERN = /[ßłøđıæœς]/g, MARKS = /\p{Mn}/gu;

  function fold(text) {
    var lowered = String(text).toLowerCase().replace(FOLD_PATTERN, function (c) { return FOLD_LETTERS[c]; });
    return lowered.normalize("NFKD").replace(MARKS, "").replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  }

  // ---- filters: read from the form, applied like search.matches ----
  function readFilters(form) {
    var data = new FormData(form);
    var q = fold(String(data.get("q") || "").normalize("NFC").trim().slice(0, 100)).trim();
    var lat = parseFloat(data.get("lat")), lon = parseFloat(data.get("lon"));
    var near = isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    return {
      words: q ? q.split(/\s+/) : [], offers: data.getAll("offers"), languages: data.getAll("languages"),
      sector: data.get("sector") || "", district: data.get("district") || "", quarter: data.get("quarter") || "",
      stepFree: data.get("step_free") === "1", openNow: data.get("open_now") === "1",
      lat: near ? round4(lat) : null, lon: near ? round4(lon) : null
    };
  }

  function overlaps(wanted, have) {
    return !wanted.length || wanted.some(function (v) { return have.indexOf(v) !== -1; });
  }

  function matches(f, item, now) {
    var p = item.props;
    if (!overlaps(f.offers, p.offers) || !overlaps(f.languages, p.languages)) { return false; }
    if ((f.sector && p.sector !== f.sector) || (f.district && p.district !== f.district)) { return false; }
    if ((f.quarter && p.quarter !== f.quarter) || (f.stepFree && !p.step_free)) { return false; }
    if (!f.words.every(function (w) { return item.haystack.indexOf(w) !== -1; })) { return false; }
    return !f.openNow || isOpen(p.drop_in || {}, now);
  }

  function filterItems(items, f, now) {
    var found = [];
    items.forEach(function (item) {
      if (!matches(f, item, now)) { return; }
      var d = f.lat !== null && item.latlng ? distanceKm(f.lat, f.lon, item.latlng[0], item.latlng[1]) : null;
      found.push({ item: item, distance: d });
    });
    if (f.lat !== null) {
      found.sort(function (a, b) {
        return (a.distance === null ? Infinity : a.distance) - (b.distance === null ? Infinity : b.distance);
      });
    }
    return found;
  }

  function queryOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== "") { params.append(key, value); } });
    return params.toString();
  }

  // ---- DOM for cards and popups (textContent only) ----
  function appendLabelled(parent, className, label, content) {
    var p = el("p", className);
    p.appendChild(el("span", "card__label", label));
    p.appendChild(document.createTextNode(" "));
    if (typeof content === "string") { p.appendChild(document.createTextNode(content)); } else { p.appendChild(content); }
    parent.appendChild(p);
  }

  function offerNames(p, vocabulary) {
    return p.offers.filter(function (c) { return vocabulary.offers[c]; }).map(function (c) { return vocabulary.offers[c]; }).join(vocabulary.separator || ", ");
  }

  function languageNodes(p, vocabulary) {
    var span = el("span");
    p.languages.filter(function (c) { return vocabulary.languages[c]; }).forEach(function (code, i) {
      if (i) { span.appendChild(document.createTextNode(vocabulary.separator || ", ")); }
      var name = el("span", "", vocabulary.languages[code]);
      name.lang = code;
      if (vocabulary.rtl.indexOf(code) !== -1) { name.dir = "rtl"; }
      span.appendChild(name);
      var gloss = (vocabulary.glosses || {})[code];  // the name in the page's language
      if (gloss) { span.appendChild(document.createTextNode(" (" + gloss + ")")); }
    });
    return span;
  }

  function pageLink(ctx, item) {
    var query = queryOf(ctx.form);
    return ctx.pageUrl.replace("SLUG", encodeURIComponent(item.slug)) + (query ? "?von=" + encodeURIComponent(query) : "");
  }

  function card(ctx, result) {
    var p = result.item.props, li = el("li", "card"), title = el("h3", "card__title"), link = el("a", "", p.name);
    li.setAttribute("data-slug", result.item.slug);
    link.href = pageLink(ctx, result.item);
    title.appendChild(link);
    li.appendChild(title);
    li.appendChild(el("p", "card__status", statusText(p.drop_in, ctx.now, ctx.texts)));
    if (p.offers.length) { appendLabelled(li, "card__offers", ctx.texts.offers, offerNames(p, ctx.vocabulary)); }
    if (p.ask_for) { appendLabelled(li, "card__ask", ctx.texts.ask_for, p.ask_for); }
    if (p.languages.length) { appendLabelled(li, "card__languages", ctx.texts.languages, languageNodes(p, ctx.vocabulary)); }
    var address = el("p", "card__address", p.street + ", " + p.postal_code + " " + p.city);
    if (result.item.approximate) {
      address.appendChild(document.createTextNode(" · "));
      address.appendChild(el("span", "card__approximate", ctx.texts.approximate));
    }
    if (result.distance !== null) {
      address.appendChild(document.createTextNode(" · "));
      address.appendChild(el("span", "card__distance", fmt(ctx.texts.distance, { km: formatKm(result.distance, ctx.texts) })));
    }
    li.appendChild(address);
    if (result.item.latlng) {
      var osm = el("a", "", ctx.texts.osm);
      osm.href = result.item.approximate ? osmSearchLink(p) : osmLink(result.item.latlng);
      osm.target = "_blank";
      osm.rel = "noopener noreferrer";
      var para = el("p", "card__osm");
      para.appendChild(osm);
      li.appendChild(para);
    }
    return li;
  }

  function osmLink(latlng) {  // the same URL as templating.osm_link on the server
    var lat = latlng[0].toFixed(5), lon = latlng[1].toFixed(5);
    return "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon;
  }

  function osmSearchLink(p) {  // the same URL as links.osm_search_url on the server
    return "https://www.openstreetmap.org/search?query=" + encodeURIComponent(p.street + ", " + p.postal_code + " " + p.city);
  }

  function popupContent(ctx, item) {
    var p = item.props, box = el("div", "popup");
    box.appendChild(el("p", "popup__name", p.name));
    box.appendChild(el("p", "popup__status", statusText(p.drop_in, berlinNow(), ctx.texts)));
    if (item.approximate) { box.appendChild(el("p", "popup__approximate", ctx.texts.approximate_popup)); }
    if (p.offers.length) { appendLabelled(box, "", ctx.texts.offers, offerNames(p, ctx.vocabulary)); }
    if (p.ask_for) { appendLabelled(box, "", ctx.texts.ask_for, p.ask_for); }
    var more = el("p"), link = el("a", "", ctx.texts.details), hidden = el("span", "visually-hidden", ": " + p.name);
    link.href = pageLink(ctx, item);
    link.appendChild(hidden);
    more.appendChild(link);
    box.appendChild(more);
    return box;
  }

  // ---- the map ----
  function baseMap(node, texts) {
    // minZoom/maxZoom bound the cluster levels markercluster has to build (9 instead of 20).
    // Leaflet guesses its image folder from its CSS and, before that CSS applies, guesses
    // a wrong one (".../1.9.3marker-icon.png"): name it.
    var leafletCss = document.querySelector('link[href$="leaflet.css"]');
    if (leafletCss) L.Icon.Default.imagePath = leafletCss.href.replace(/leaflet\.css$/, 'images/');
    var map = L.map(node, { scrollWheelZoom: false, dragging: !L.Browser.mobile, zoomControl: false,
      keyboard: true, minZoom: 10, maxZoom: 18 });
    // Right-to-left pages mirror the controls: zoom at the start (right), attribution at the end.
    var rtl = document.documentElement.dir === "rtl";
    L.control.zoom({ zoomInTitle: texts.zoom_in, zoomOutTitle: texts.zoom_out,
      position: rtl ? "topright" : "topleft" }).addTo(map);
    if (rtl) { map.attributionControl.setPosition("bottomleft"); }
    var tiles = L.tileLayer(node.getAttribute("data-tile-url"), {
      attribution: node.getAttribute("data-tile-attribution"), maxZoom: 18
    });
    var notice = node.parentNode.querySelector("[data-map-notice]");
    tiles.on("tileerror", function () { if (notice) { notice.hidden = false; } });
    tiles.on("tileload", function () { if (notice) { notice.hidden = true; } });
    tiles.addTo(map);
    // Never trap page scrolling: the wheel zooms only after the map was focused or clicked.
    map.on("focus click", function () { map.scrollWheelZoom.enable(); });
    map.on("blur mouseout", function () { map.scrollWheelZoom.disable(); });
    return map;
  }

  var NamedIcon = L.Icon.Default.extend({
    createIcon: function (old) {
      var img = L.Icon.Default.prototype.createIcon.call(this, old);
      img.setAttribute("aria-label", this.options.label);
      return img;
    }
  });

  // A point that is only the quarter's centre: a dashed ring, not a pin on a door.
  var ApproximateIcon = L.DivIcon.extend({
    options: { className: "marker-approximate", iconSize: L.point(44, 44), iconAnchor: L.point(22, 22),
               popupAnchor: L.point(0, -18), html: "" },
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      div.textContent = "";
      div.appendChild(el("span", "marker-approximate__dot"));
      div.setAttribute("aria-label", this.options.label);
      div.setAttribute("role", "img");  // Leaflet makes it a button when it takes keyboard focus
      return div;
    }
  });

  function iconFor(item, texts) {
    if (item.approximate) { return new ApproximateIcon({ label: fmt(texts.approximate_marker, { name: item.props.name }) }); }
    return new NamedIcon({ label: item.props.name });
  }

  var ClusterIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var div = L.DivIcon.prototype.createIcon.call(this, old);
      div.textContent = "";
      div.appendChild(el("span", "", String(this.options.count)));
      div.setAttribute("aria-label", this.options.label);
      return div;
    }
  });

  function clusterGroup(ctx) {
    return L.markerClusterGroup({
      chunkedLoading: true, chunkInterval: 50, chunkDelay: 16, showCoverageOnHover: false,
      chunkProgress: function (processed, total) { if (processed >= total) { ready(ctx); } },
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        return new ClusterIcon({ count: n, label: fmt(ctx.texts.cluster, { n: n }), className: "cluster", iconSize: L.point(44, 44) });
      }
    });
  }

  function makeMarker(ctx, item) {
    var marker = L.marker(item.latlng, {
      icon: iconFor(item, ctx.texts), alt: item.props.name, title: item.props.name, keyboard: true
    });
    marker.bindPopup(function () { return popupContent(ctx, item); }, { autoPanPadding: L.point(20, 20) });
    return marker;
  }

  // Enter on a marker opens its popup (Leaflet); we move focus in, Esc closes, focus returns.
  // A popup opened by Enter takes the focus; closing it gives the focus back to its marker.
  function wirePopupFocus(ctx, group) {
    var source = null;
    group.on("popupopen", function (e) {
      source = e.layer || e.propagatedFrom || e.target;
      if (!ctx.byKeyboard) { return; }
      var link = e.popup.getElement().querySelector("a[href]:not(.leaflet-popup-close-button)");
      if (link) { link.focus(); }
    });
    group.on("popupclose", function (e) {
      var popupEl = e.popup.getElement(), active = document.activeElement;
      var focusWasInside = !active || active === document.body || (popupEl && popupEl.contains(active));
      if (focusWasInside && source && source.getElement()) { source.getElement().focus(); }
    });
  }

  function wireKeyboard(ctx) {
    var map = ctx.map;
    map.getContainer().addEventListener("keydown", function (event) {
      ctx.byKeyboard = event.key === "Enter";
      if (event.key === "Escape" && map._popup && map.hasLayer(map._popup)) { map.closePopup(); }
    });
    wirePopupFocus(ctx, ctx.group);
    ctx.group.on("clusterkeypress", function (e) {
      if (e.originalEvent.key !== "Enter") { return; }
      if (map.getZoom() >= map.getMaxZoom()) { e.layer.spiderfy(); } else { e.layer.zoomToBounds({ padding: [20, 20] }); }
      map.once("moveend", function () { map.getContainer().focus(); });
    });
  }

  // Build markers in slices of ~40 ms so 50,000 entries never freeze the page.
  function inSlices(items, work, done) {
    var index = 0;
    (function step() {
      var start = performance.now();
      while (index < items.length && performance.now() - start < 40) {
        for (var stop = Math.min(items.length, index + 500); index < stop; index++) { work(items[index]); }
      }
      if (index < items.length) { setTimeout(step, 0); } else { done(); }
    })();
  }

  function showMarkers(ctx, results) {
    // markercluster cannot cancel a chunked add: a newer filter waits for it to finish.
    if (ctx.adding) { ctx.queued = results; return; }
    var markers = [];
    results.forEach(function (r) { if (r.item.marker) { markers.push(r.item.marker); } });
    ctx.mapNode.setAttribute("data-marker-count", String(markers.length));
    // A hidden map (phones show the list first) gets its markers when it is shown: clustering
    // thousands of markers nobody sees would only slow down the first screen.
    ctx.hiddenResults = ctx.map.getSize().x ? null : results;
    if (ctx.hiddenResults) { markReady(ctx); return; }
    ctx.adding = true;
    ctx.group.clearLayers();
    ctx.mapNode.setAttribute("data-state", "loading");
    ctx.group.addLayers(markers);
  }

  // chunkedLoading adds markers over several tasks; chunkProgress tells when all are in.
  function ready(ctx) {
    ctx.adding = false;
    if (ctx.queued) {
      var next = ctx.queued;
      ctx.queued = null;
      showMarkers(ctx, next);
      return;
    }
    markReady(ctx);
  }

  function markReady(ctx) {
    ctx.mapNode.setAttribute("data-state", "ready");
    document.dispatchEvent(new CustomEvent("map:ready"));
  }

  // ---- the list ----
  function renderList(ctx, results) {
    var list = ctx.list;
    list.textContent = "";
    ctx.shown = 0;
    ctx.results = results;
    appendPage(ctx);
    var pagination = document.querySelector("[data-pagination]");
    if (pagination) { pagination.parentNode.removeChild(pagination); }
    document.querySelector("[data-empty]").hidden = results.length > 0;
  }

  function appendPage(ctx) {
    var next = ctx.results.slice(ctx.shown, ctx.shown + PAGE_SIZE);
    next.forEach(function (r) { ctx.list.appendChild(card(ctx, r)); });
    ctx.shown += next.length;
    ctx.moreButton.hidden = ctx.shown >= ctx.results.length;
  }

  function moreButton(ctx) {
    var button = el("button", "button button--secondary", ctx.texts.more);
    button.type = "button";
    button.hidden = true;
    button.addEventListener("click", function () {
      var first = ctx.shown;
      appendPage(ctx);
      var link = ctx.list.children[first] && ctx.list.children[first].querySelector("a");
      if (link) { link.focus(); }
    });
    ctx.list.parentNode.insertBefore(button, ctx.list.nextSibling);
    return button;
  }

  function updateCount(ctx, n) {
    ctx.count.textContent = n === 1 ? ctx.texts.one : fmt(ctx.texts.many, { n: n });
  }

  function updateChosen(ctx) {
    var chosen = document.querySelector("[data-chosen]");
    chosen.textContent = "";
    var params = new URLSearchParams(queryOf(ctx.form));
    params.forEach(function (value, key) {
      if (key === "lon") { return; }
      var rest = new URLSearchParams();
      params.forEach(function (v, k) { if (!(k === key && v === value) && !(key === "lat" && k === "lon")) { rest.append(k, v); } });
      var li = el("li"), link = el("a", "chosen__link");
      link.href = "?" + rest.toString();
      link.appendChild(el("span", "visually-hidden", ctx.texts.remove + " "));
      link.appendChild(document.createTextNode(labelOf(ctx, key, value) + " "));
      var cross = el("span", "", "×");
      cross.setAttribute("aria-hidden", "true");
      link.appendChild(cross);
      li.appendChild(link);
      chosen.appendChild(li);
    });
    chosen.hidden = !chosen.children.length;
    chosen.appendChild(ctx.resetItem);
  }

  function labelOf(ctx, key, value) {
    if (key === "q") { return "„" + value + "“"; }
    if (key === "lat") { return ctx.texts.near; }
    var input = ctx.form.querySelector('input[name="' + key + '"][value="' + CSS.escape(value) + '"]');
    if (input && input.type === "checkbox") { return ctx.form.querySelector('label[for="' + input.id + '"]').textContent.trim(); }
    return value;
  }

  function apply(ctx) {
    var started = performance.now();
    ctx.now = berlinNow();
    var results = filterItems(ctx.items, readFilters(ctx.form), ctx.now);
    renderList(ctx, results);
    updateCount(ctx, results.length);
    updateChosen(ctx);
    var query = queryOf(ctx.form);
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    showMarkers(ctx, results);
    ctx.mapNode.setAttribute("data-filter-ms", String(Math.round(performance.now() - started)));
  }

  function setNear(ctx, lat, lon) {
    var box = ctx.form.querySelector("[data-near-fields]");
    box.textContent = "";
    if (lat === null) { return; }
    [["lat", lat], ["lon", lon]].forEach(function (pair) {
      var input = el("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1].toFixed(4);
      box.appendChild(input);
    });
  }

  // "In meiner Nähe": the position stays in the browser; only the rounded filter (4 decimals,
  // about 10 m, as the list's own link) is in the URL. The map moves there and marks it.
  function wireNearMe(ctx) {
    var button = ctx.form.querySelector("[data-near-me]"), message = document.querySelector("[data-near-message]");
    if (!navigator.geolocation) { return; }
    button.hidden = false;
    var filters = readFilters(ctx.form);
    if (filters.lat !== null) { showPosition(ctx, [filters.lat, filters.lon], true); }
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-pressed") === "true") {
        button.setAttribute("aria-pressed", "false");
        setNear(ctx, null, null);
        hidePosition(ctx);
        apply(ctx);
        message.textContent = ctx.texts.near_off;
        return;
      }
      message.textContent = ctx.texts.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = round4(position.coords.latitude), lon = round4(position.coords.longitude);
        button.setAttribute("aria-pressed", "true");
        setNear(ctx, lat, lon);
        apply(ctx);
        showPosition(ctx, [lat, lon], true);
        message.textContent = ctx.texts.located;
      }, function () { message.textContent = ctx.texts.no_location; }, { timeout: 15000, maximumAge: 600000 });
    });
  }

  function showPosition(ctx, latlng, move) {
    hidePosition(ctx);
    ctx.position = L.marker(latlng, {
      icon: L.divIcon({ className: "you-are-here", iconSize: L.point(22, 22) }),
      keyboard: false, interactive: false, title: ctx.texts.you_are_here, zIndexOffset: 1000
    }).addTo(ctx.map);
    var icon = ctx.position.getElement();
    if (icon) { icon.setAttribute("role", "img"); icon.setAttribute("aria-label", ctx.texts.you_are_here); }
    ctx.view = { center: latlng, zoom: 15 };
    if (move) { fitView(ctx); }
  }

  function hidePosition(ctx) {
    if (ctx.position) { ctx.map.removeLayer(ctx.position); ctx.position = null; }
    ctx.view = null;
    fitView(ctx);
  }

  // A map in a hidden column (phones, list view) has no size: Leaflet cannot fit anything
  // then, so the wanted view is set again each time the map is shown (event from view-toggle.js).
  function fitView(ctx) {
    ctx.fitted = Boolean(ctx.map.getSize().x);
    if (!ctx.fitted) { return; }
    if (ctx.view) { ctx.map.setView(ctx.view.center, ctx.view.zoom); } else { ctx.map.fitBounds(ctx.bounds); }
  }

  // ---- the compact payload (campaign/public/map_data.py), decoded in slices ----
  var dropIns = {};  // decoded drop-in hours by table index: shared, never changed

  function bitCodes(bits, codes) {
    var found = [];
    for (var i = 0; i < codes.length; i++) { if (bits & (1 << i)) { found.push(codes[i]); } }
    return found;
  }

  function dropInOf(code) {
    if (code === "o") { return { opening_hours: true, slots: [] }; }
    if (!code) { return { opening_hours: false, slots: [] }; }
    return { opening_hours: false, slots: code.split(",").map(function (s) {
      return { day: +s.charAt(0), start: s.slice(1, 3) + ":" + s.slice(3, 5), end: s.slice(5, 7) + ":" + s.slice(7, 9) };
    }) };
  }

  // The same as campaign/core/text.slugify: the payload leaves out slugs that are the name's own.
  var UMLAUTS = { "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS" };

  function slugify(name) {
    var ascii = name.replace(/[äöüÄÖÜßẞ]/g, function (c) { return UMLAUTS[c]; })
      .normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    var slug = ascii.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return slug.slice(0, 80).replace(/-+$/, "") || "betrieb";
  }

  function slugOf(code, name) {
    if (code === "") { return slugify(name); }
    return code.charAt(0) === "+" ? slugify(name) + "-" + code.slice(1) : code;
  }

  function itemAt(data, foldedSectors, i) {
    var c = data.columns, t = data.tables, v = data.vocabulary, scale = data.scale;
    var place = t.place[c.place[i]], bar = place.indexOf("|"), offerCount = v.offers.length;
    var props = {
      name: c.name[i], sector: t.sector[c.sector[i]], district: place.slice(0, bar), quarter: place.slice(bar + 1),
      city: t.city[c.city[i]], street: c.street[i], postal_code: t.postal_code[c.postal_code[i]],
      ask_for: t.ask_for[c.ask_for[i]], step_free: Boolean(c.flags[i] & (1 << offerCount)),
      offers: bitCodes(c.flags[i], v.offers), languages: bitCodes(c.languages[i], v.languages),
      drop_in: dropIns[c.drop_in[i]] || (dropIns[c.drop_in[i]] = dropInOf(t.drop_in[c.drop_in[i]]))
    };
    var latlng = c.lat[i] === null ? null : [(data.origin[0] + c.lat[i]) / scale, (data.origin[1] + c.lon[i]) / scale];
    return { slug: slugOf(c.slug[i], props.name), props: props, latlng: latlng, marker: null,
      approximate: Boolean(latlng) && Boolean(c.flags[i] & (2 << offerCount)),
      haystack: [fold(props.name), foldedSectors[c.sector[i]], t.text[c.text[i]]].join(" ") };
  }

  function loadItems(ctx, data, done) {
    var foldedSectors = data.tables.sector.map(fold), indexes = [];
    dropIns = {};
    for (var i = 0; i < data.count; i++) { indexes.push(i); }
    ctx.items = [];
    inSlices(indexes, function (index) {
      var item = itemAt(data, foldedSectors, index);
      if (item.latlng) { item.marker = makeMarker(ctx, item); }
      ctx.items.push(item);
    }, done);
  }

  function wireInstantChoices(ctx) {
    ctx.form.querySelectorAll("[data-instant]").forEach(function (input) {
      input.addEventListener("change", function () { apply(ctx); });
    });
  }

  function startMap(node) {
    var ctx = {
      mapNode: node, form: document.querySelector("[data-filter-form]"), list: document.querySelector("[data-results]"),
      count: document.querySelector("[data-result-count]"), pageUrl: node.getAttribute("data-page-url"),
      texts: JSON.parse(node.getAttribute("data-texts")), vocabulary: JSON.parse(node.getAttribute("data-vocabulary")),
      bounds: JSON.parse(node.getAttribute("data-bounds")), view: null, position: null
    };
    ctx.map = baseMap(node, ctx.texts);
    ctx.map.fitBounds(ctx.bounds);  // also gives a hidden map a view; fitted again when shown
    ctx.fitted = Boolean(ctx.map.getSize().x);
    ctx.group = clusterGroup(ctx).addTo(ctx.map);
    ctx.moreButton = moreButton(ctx);
    ctx.resetItem = document.querySelector("[data-chosen] .chosen__reset").parentNode;
    wireKeyboard(ctx);
    document.addEventListener("map:shown", function () {
      ctx.map.invalidateSize();
      if (!ctx.fitted) { fitView(ctx); }
      if (ctx.hiddenResults && ctx.map.getSize().x) { showMarkers(ctx, ctx.hiddenResults); }
    });
    addConsultationLayer(ctx, node.getAttribute("data-consultations-url"));
    ctx.fold = fold;
    ctx.slugify = slugify;
    window.mapState = ctx;  // for tests and benchmarks
    fetch(node.getAttribute("data-payload-url"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        loadItems(ctx, data, function () {
          ctx.now = berlinNow();
          showMarkers(ctx, filterItems(ctx.items, readFilters(ctx.form), ctx.now));
          ctx.form.addEventListener("submit", function (event) { event.preventDefault(); apply(ctx); });
          wireInstantChoices(ctx);
          wireNearMe(ctx);
        });
      });
  }

  // ---- the second layer: consultation points (campaign/consultations), switchable ----
  function consultationPopup(ctx, p) {
    var box = el("div", "popup popup--consultation");
    box.appendChild(el("p", "popup__kind", ctx.texts.consultation));
    box.appendChild(el("p", "popup__title", p.title));
    box.appendChild(el("p", null, p.provider));
    (p.schedule || []).forEach(function (line) { box.appendChild(el("p", "popup__schedule", line)); });
    var link = el("a", null, ctx.texts.consultation_dates);
    link.href = p.url;
    box.appendChild(link);
    return box;
  }

  function addConsultationLayer(ctx, url) {
    var legend = document.querySelector("[data-map-legend]");
    if (!url || !legend) { return; }
    var layer = L.featureGroup().addTo(ctx.map);  // a feature group passes popup events on
    fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.features.forEach(function (f) {
          var p = f.properties, label = ctx.texts.consultation + ": " + p.title;
          var icon = L.divIcon({ className: "marker-consultation", iconSize: L.point(30, 30),
            html: "" });
          var marker = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]],
            { icon: icon, title: label, alt: label, keyboard: true });
          marker.bindPopup(function () { return consultationPopup(ctx, p); });
          marker.on("add", function () {
            var node = marker.getElement();
            if (node) { node.setAttribute("role", "button"); node.setAttribute("aria-label", label); }
          });
          layer.addLayer(marker);
        });
        ctx.consultations = layer;
        wirePopupFocus(ctx, layer);
        legend.hidden = false;
        legend.querySelector("[data-consultation-toggle]").addEventListener("change", function (event) {
          if (event.target.checked) { layer.addTo(ctx.map); } else { ctx.map.removeLayer(layer); }
        });
      })
      .catch(function () { legend.hidden = false; });
  }

  function startSingleMap(node) {
    var texts = JSON.parse(node.getAttribute("data-texts"));
    var map = baseMap(node, texts);
    var latlng = [parseFloat(node.getAttribute("data-lat")), parseFloat(node.getAttribute("data-lon"))];
    map.setView(latlng, 16);
    var name = node.getAttribute("data-name");
    var icon = node.hasAttribute("data-approximate")
      ? new ApproximateIcon({ label: node.getAttribute("data-approximate-label") }) : new NamedIcon({ label: name });
    L.marker(latlng, { icon: icon, alt: name, title: name, keyboard: false }).addTo(map);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var node = document.querySelector("[data-map]");
    if (node) { startMap(node); }
    var single = document.querySelector("[data-single-map]");
    if (single) { startSingleMap(single); }
  });
})();
