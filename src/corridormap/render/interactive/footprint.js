// corridormap footprint layers: AidData's Chinese finance and GEM's energy assets.
// Everything is built from the compact JSON Python embeds; text reaches the page only through
// textContent (popups are DOM nodes), so nothing from the data is parsed as HTML. The words
// marked for translation are written in the page's language by Python (localize_script).
var F = data.finance, E = data.energy;
function node(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
}
var LANG = document.documentElement.lang || "en";
function fixed(v, digits) {
    return v.toLocaleString(LANG, {minimumFractionDigits: digits, maximumFractionDigits: digits});
}
function money(v, year) {
    if (v === null) { return _("amount not given"); }
    v = v * 1e5;
    var s = v >= 1e9 ? _("US$ {n} bn").replace("{n}", fixed(v / 1e9, 2))
        : _("US$ {n} m").replace("{n}", fixed(v / 1e6, 1));
    return s + " " + _("(constant {year} USD)").replace("{year}", String(year));
}
// The data's own text (titles, names, lenders, owners) is English: said so on other pages.
function english(e) { if (LANG.slice(0, 2) !== "en") { e.lang = "en"; } return e; }
function row(box, label, value, data) {
    if (value === null || value === undefined || value === "") { return; }
    var p = node("div", "cm-fp-row");
    p.appendChild(node("span", "cm-fp-key", label + ": "));
    var text = p.appendChild(node("span", "", value));
    if (data) { english(text); }
    box.appendChild(p);
}
function link(box, url, text) {
    var a = node("a", "", text);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    box.appendChild(a);
}
// A tooltip's content as a text node (a string given to Leaflet would be read as HTML).
function tip(text) { return function () { return node("span", "", text); }; }
// GEM's status words, in the page's language where the catalogue has them.
function status(word) { return E.statusWords[word] || word; }
function wiki(path) { return /^https?:/.test(path) ? path : E.wiki + path; }
function credit(box, text) { box.appendChild(node("div", "cm-fp-credit", text)); }
// Coordinates come as polyline text on a grid of 1/data.grid degree (cmDecode, in the head).
function decode(text) { return cmDecode(text, data.grid); }

// ------------------------------------------------------------------ finance
// Each layer brings to the map's attribution, while it is on, the credits the corridor lines do
// not already give (Leaflet reads an attribution as HTML: the text is escaped).
function html(text) { var box = node("span", "", text); return box.innerHTML; }
var financeGroup = L.layerGroup([], {attribution: html(F.attribution)});
var energyGroup = L.layerGroup([], {attribution: html(E.attribution)});
var state = {year: null, sectors: {}, statuses: {}};
F.groups.forEach(function (g, i) { state.sectors[i] = true; });
F.statuses.forEach(function (s, i) { state.statuses[i] = true; });
function shown(p) {
    return state.sectors[p[2]] && state.statuses[p[11]] &&
        (state.year === null || (p[6] === null ? state.year >= F.lastYear : p[6] <= state.year));
}
function projectPopup(p) {
    var box = node("div", "cm-fp-popup");
    box.appendChild(p[1] ? english(node("strong", "", p[1])) :
        node("strong", "", _("AidData project {id} (title not yet read)").replace("{id}", String(p[0]))));
    row(box, _("Amount"), money(p[3], p[4]));
    row(box, _("Sector"), F.groups[p[2]][0]);
    row(box, _("Lender"), p[5], true);
    var years = p[6] ? String(p[6]) : _("not yet read");
    if (p[7]) { years += " " + _("(completed {year})").replace("{year}", String(p[7])); }
    row(box, _("Committed"), years);
    row(box, _("Status"), F.statuses[p[11]]);
    row(box, _("Located"), F.precision[p[10]]);
    link(box, F.urls[p[9]].replace("{}", String(p[0])),
        _("AidData record {id}").replace("{id}", String(p[0])));
    credit(box, F.credit);
    return box;
}
var shapes = [];
F.projects.forEach(function (p, i) {
    var rings = F.shapes[String(p[0])];
    if (!rings) { return; }
    var colour = F.groups[p[2]][1];
    var shape = L.polyline(rings.map(decode), {pane: "cm-footprint", className: "cm-fp-shape", color: colour, weight: 3,
        opacity: 0.9});
    shape.bindPopup(function () { return projectPopup(p); }, {maxWidth: 320});
    shape.bindTooltip(tip(p[1] ? p[1].slice(0, 90) : _("AidData project {id}").replace("{id}", String(p[0]))),
        {sticky: true});
    shapes.push({layer: shape, project: p});
});
// Region totals: one circle per region and sector group (largest below), area ~ amount.
var circles = [];
function regionPopup(r, g, total, count) {
    var box = node("div", "cm-fp-popup");
    box.appendChild(node("strong", "", r[0] + " (" + r[1] + ")"));
    row(box, F.groups[g][0], money(total / 1e5, 2021));
    row(box, _("Projects"), count);
    box.appendChild(node("div", "cm-fp-note",
        _("GCDF 3.0's split of each commitment over the regions it touches (AidData ADM1 files).")));
    credit(box, F.credit);
    return box;
}
function regionSums() {
    var sums = {};
    F.splits.forEach(function (s) {
        var p = F.projects[s[0]];
        if (!shown(p)) { return; }
        var key = s[1] + ":" + p[2];
        if (!sums[key]) { sums[key] = [s[1], p[2], 0, 0]; }
        sums[key][2] += s[2]; sums[key][3] += 1;
    });
    return Object.keys(sums).map(function (k) { return sums[k]; })
        .sort(function (a, b) { return b[2] - a[2]; });
}
function drawRegions() {
    circles.forEach(function (c) { financeGroup.removeLayer(c); });
    circles = [];
    regionSums().forEach(function (s) {
        var r = F.regions[s[0]], colour = F.groups[s[1]][1];
        var radius = Math.sqrt(s[2] / F.maxRegion) * 28;
        if (radius < 2) { radius = 2; }
        var c = L.circleMarker([r[2], r[3]], {pane: "cm-footprint-circles", className: "cm-fp-region", radius: radius,
            color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.55});
        c.bindPopup(function () { return regionPopup(r, s[1], s[2], s[3]); }, {maxWidth: 300});
        c.bindTooltip(tip(r[0] + ": " + money(s[2] / 1e5, 2021)), {sticky: true});
        circles.push(c);
        financeGroup.addLayer(c);
    });
}
function applyFinance() {
    shapes.forEach(function (s) {
        var show = shown(s.project);
        if (show && !financeGroup.hasLayer(s.layer)) { financeGroup.addLayer(s.layer); }
        if (!show && financeGroup.hasLayer(s.layer)) { financeGroup.removeLayer(s.layer); }
    });
    drawRegions();
}

// ------------------------------------------------------------------ energy
function linePopup(a) {
    var box = node("div", "cm-fp-popup");
    box.appendChild(english(node("strong", "", a[1] + (a[2] ? " – " + a[2] : ""))));
    row(box, _("Kind"), E.kinds[a[0]]);
    row(box, _("Status"), status(a[3]));
    if (a[4] !== null) { row(box, _("Capacity"), a[4] + " " + a[5]); }
    row(box, _("Start"), a[6]);
    row(box, _("Owner"), a[7], true);
    link(box, wiki(a[8]), _("GEM wiki"));
    credit(box, E.credit);
    return box;
}
function plantPopup(a) {
    var box = node("div", "cm-fp-popup");
    box.appendChild(english(node("strong", "", a[1])));
    row(box, _("Kind"), E.kinds[a[0]]);
    if (a[2]) {
        var count = a[6].length;
        var units = count > 1 ? " (" + _n("{n} unit", "{n} units", count) + ")" : "";
        row(box, _("Capacity"), a[2] + " MW" + units);
    }
    row(box, _("Owner"), a[3], true);
    a[6].forEach(function (u) {
        var text = (u[1] !== null ? u[1] + " MW, " : "") + status(u[2]) + (u[3] ? ", " + u[3] : "");
        row(box, a[6].length > 1 ? _("Unit {name}").replace("{name}", u[0] || "?") : _("Status"), text);
    });
    link(box, wiki(a[4]), _("GEM wiki"));
    credit(box, E.credit);
    return box;
}
E.lines.forEach(function (a) {
    var line = L.polyline(a[9].map(decode), {pane: "cm-energy-lines", className: "cm-energy-line", color: E.colours[a[0]], weight: 1.6,
        opacity: 0.8, dashArray: E.dashed[a[3]] ? "4 4" : null});
    line.bindPopup(function () { return linePopup(a); }, {maxWidth: 300});
    line.bindTooltip(tip(a[1] + (a[2] ? " – " + a[2] : "")), {sticky: true});
    energyGroup.addLayer(line);
});
E.points.forEach(function (a) {
    var radius = 3 + Math.sqrt(a[2] || 0) / 5;
    var marker = L.circleMarker(a[5], {pane: "cm-energy-points", className: "cm-energy-plant", radius: radius,
        color: "#ffffff", weight: 1, fillColor: E.colours[a[0]], fillOpacity: 0.85});
    marker.bindPopup(function () { return plantPopup(a); }, {maxWidth: 300});
    marker.bindTooltip(tip(a[1] + (a[2] ? " (" + a[2] + " MW)" : "")), {sticky: true});
    energyGroup.addLayer(marker);
});

// ------------------------------------------------------------------ layers, slider, filter
["cm-energy-lines", "cm-footprint", "cm-footprint-circles", "cm-energy-points"].forEach(function (name, i) {
    if (!map.getPane(name)) {
        var pane = map.createPane(name);
        pane.style.zIndex = String([380, 385, 395, 396][i]);
    }
});
applyFinance();
layerControl.addOverlay(financeGroup, F.name);
layerControl.addOverlay(energyGroup, E.name);
function hookSlider() {
    var slider = document.querySelector(".cm-year input[type=range]");
    if (!slider) { return; }
    var update = function () { state.year = Number(slider.value); applyFinance(); };
    slider.addEventListener("input", update);
}
setTimeout(hookSlider, 0);
// Sector filter, shown in the legend box of the finance layer.
var legend = document.getElementById(data.legendId);
// The legend joins the panel's own legend when there is one (else it floats bottom left).
var home = document.querySelector(".cm-panel .cm-legend");
if (legend && home) { home.appendChild(legend); legend.classList.add("cm-fp-inpanel"); }
if (legend) {
    ["sector", "status"].forEach(function (kind) {
        var boxes = legend.querySelectorAll("input[data-" + kind + "]");
        Array.prototype.forEach.call(boxes, function (box) {
            box.addEventListener("change", function () {
                state[kind === "sector" ? "sectors" : "statuses"][Number(box.getAttribute("data-" + kind))] = box.checked;
                applyFinance();
            });
        });
    });
    map.on("overlayadd overlayremove", function () {
        legend.hidden = !(map.hasLayer(financeGroup) || map.hasLayer(energyGroup));
    });
}
