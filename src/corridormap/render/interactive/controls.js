// corridormap controls: find, filter (with counts in view), the year slider, phone layout,
// refit on resize, label placement per zoom and keyboard access. Runs inside a function that
// receives `map`, `layerControl` and `data` (JSON computed in Python). Data text is only ever
// written with textContent or setAttribute; nothing here builds HTML from data.
"use strict";
var container = map.getContainer();
var prefix = container.id;
var timeline = data.timeline;

// ------------------------------------------------------------------ layers by id
var lines = {}, halos = {}, groups = {}, markers = {}, groupIds = {};
map.eachLayer(function (layer) {
    var options = layer.options || {};
    if (layer.cmCorridor) { groups[layer.cmCorridor] = layer; groupIds[L.stamp(layer)] = layer.cmCorridor; }
    else if (options.cmHalo) { halos[options.cmSegment] = layer; }
    else if (options.cmSegment) { lines[options.cmSegment] = layer; }
    else if (options.cmPlace) { markers[options.cmPlace] = layer; }
});
var segmentIds = Object.keys(data.segments);

function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
}
function label(pairs, key) {
    for (var i = 0; i < pairs.length; i++) { if (pairs[i][0] === key) { return pairs[i][1]; } }
    return key;
}

// ------------------------------------------------------------------ state
var state = {year: null, modes: {}, statuses: {}};
data.modes.forEach(function (m) { state.modes[m[0]] = true; });
data.statuses.forEach(function (s) { state.statuses[s[0]] = true; });

function statusAt(id, year) {
    var steps = timeline.steps, index = -1;
    if (!steps.length || year === null) { return data.segments[id].status; }
    for (var k = 0; k < steps.length && steps[k] <= year; k++) { index = k; }
    if (index < 0) { return null; }
    var code = timeline.codes[id].charAt(index);
    return code === "-" ? null : timeline.statuses[Number(code)];
}

function restyle(id, status) {
    var line = lines[id], segment = data.segments[id];
    if (line.cmStatus === status) { return; }
    line.cmStatus = status;
    line.options.className = line.options.className.replace(/cm-s-\S+/, "cm-s-" + status);
    line.setStyle({dashArray: data.dash[segment.mode][status] || null});
    var path = line.getElement();
    if (path) {
        path.setAttribute("class", path.getAttribute("class").replace(/cm-s-\S+/, "cm-s-" + status));
    }
}

function labelLine(id) {
    var path = lines[id].getElement();
    if (path) {
        path.setAttribute("tabindex", "0");
        path.setAttribute("role", "button");
        path.setAttribute("aria-label", data.segments[id].label + " (" +
            label(data.statuses, lines[id].cmStatus) + _("). Press Enter for details."));
    }
    var halo = halos[id] && halos[id].getElement();
    if (halo) { halo.setAttribute("tabindex", "-1"); halo.setAttribute("aria-hidden", "true"); }
}

function apply() {
    segmentIds.forEach(function (id) {
        var segment = data.segments[id], line = lines[id], group = groups[segment.corridor];
        if (!line || !group) { return; }
        var status = statusAt(id, state.year);
        var show = status !== null && state.modes[segment.mode] && state.statuses[status];
        if (status !== null) { restyle(id, status); }
        [line, halos[id]].forEach(function (layer) {
            if (!layer) { return; }
            if (show && !group.hasLayer(layer)) { group.addLayer(layer); }
            if (!show && group.hasLayer(layer)) { group.removeLayer(layer); }
        });
        if (show) { labelLine(id); }
    });
    counts();
    describeYear();
}

// ------------------------------------------------------------------ the tools box
var panel = container.querySelector(".cm-panel");
var tools = el("div", "cm-tools");
var searchId = prefix + "-search", listId = prefix + "-results";
var searchLabel = el("label", "cm-tools-label", _("Find a corridor or place"));
searchLabel.htmlFor = searchId;
var input = el("input", "cm-search");
input.type = "search";
input.id = searchId;
input.autocomplete = "off";
input.placeholder = _("Corridor, city, crossing…");
input.setAttribute("role", "combobox");
input.setAttribute("aria-autocomplete", "list");
input.setAttribute("aria-expanded", "false");
input.setAttribute("aria-controls", listId);
var results = el("ul", "cm-results");
results.id = listId;
results.setAttribute("role", "listbox");
results.setAttribute("aria-label", _("Matches"));
results.hidden = true;
tools.appendChild(searchLabel);
tools.appendChild(input);
tools.appendChild(results);

var filters = el("details", "cm-filters");
var filterSummary = el("summary");
var filterTitle = el("span", "", _("Filter"));
var inView = el("span", "cm-inview");
filterSummary.appendChild(filterTitle);
filterSummary.appendChild(inView);
filters.appendChild(filterSummary);
var countCells = {mode: {}, status: {}};
function checkboxes(title, pairs, chosen, cells) {
    var set = el("fieldset", "cm-set");
    set.appendChild(el("legend", "", title));
    pairs.forEach(function (pair) {
        var row = el("label", "cm-check");
        var box = el("input");
        box.type = "checkbox";
        box.checked = true;
        box.value = pair[0];
        box.addEventListener("change", function () { chosen[pair[0]] = box.checked; apply(); });
        var count = el("span", "cm-count", "");
        row.appendChild(box);
        row.appendChild(el("span", "", pair[1]));
        row.appendChild(count);
        cells[pair[0]] = count;
        set.appendChild(row);
    });
    return set;
}
var sets = el("div", "cm-sets");
sets.appendChild(checkboxes(_("Mode"), data.modes, state.modes, countCells.mode));
sets.appendChild(checkboxes(_("Status"), data.statuses, state.statuses, countCells.status));
filters.appendChild(sets);
tools.appendChild(filters);

var slider = null, yearOut = null, yearNote = null;
var text = data.text;
if (timeline.steps.length) {
    var yearBox = el("div", "cm-year");
    var yearId = prefix + "-year";
    var yearLabel = el("label", "cm-tools-label", _("Status in"));
    yearLabel.htmlFor = yearId;
    slider = el("input");
    slider.type = "range";
    slider.id = yearId;
    slider.min = timeline.first;
    slider.max = timeline.last;
    slider.step = 1;
    // The year the data speaks for (the release's as_of), never the reader's clock.
    var now = Math.min(Math.max(data.release_year || timeline.last, timeline.first), timeline.last);
    slider.value = now;
    state.year = now;
    yearOut = el("output", "cm-year-value", String(now));
    yearOut.htmlFor = yearId;
    slider.addEventListener("input", function () {
        state.year = Number(slider.value);
        apply();
    });
    yearBox.appendChild(yearLabel);
    yearBox.appendChild(slider);
    yearBox.appendChild(yearOut);
    tools.appendChild(yearBox);
    yearNote = el("p", "cm-year-note");
    yearNote.setAttribute("aria-live", "polite");
    tools.appendChild(yearNote);
}

// What the year shown means: data as of the release; later years are targets and plans;
// corridors with no dated status yet are named as undated rather than silently left out.
function describeYear() {
    if (!yearOut) { return; }
    var year = state.year, planned = data.release_year && year > data.release_year;
    yearOut.textContent = String(year) + (planned ? text.plan_suffix : "");
    slider.setAttribute("aria-valuetext", yearOut.textContent);
    var undated = {};
    segmentIds.forEach(function (id) {
        var corridor = data.segments[id].corridor;
        if (statusAt(id, year) === null) { if (!(corridor in undated)) { undated[corridor] = true; } }
        else { undated[corridor] = false; }
    });
    var names = Object.keys(undated).filter(function (c) { return undated[c]; })
        .map(function (c) { return data.corridor_names[c] || c; });
    var parts = [];
    if (planned) { parts.push(text.plans.replace("{date}", data.release_date)); }
    if (names.length) {
        var shown = names.slice(0, 3).join("; ");
        if (names.length > 3) { shown += text.and_more.replace("{n}", String(names.length - 3)); }
        parts.push(text.undated.replace("{year}", String(year)).replace("{names}", shown));
    }
    yearNote.textContent = parts.join(" ");
    yearNote.hidden = parts.length === 0;
}
if (panel) {
    var legend = panel.querySelector("details");
    panel.insertBefore(tools, legend);
}

function counts() {
    var view = map.getBounds(), byMode = {}, byStatus = {}, shown = {};
    segmentIds.forEach(function (id) {
        var segment = data.segments[id], status = statusAt(id, state.year), b = segment.box;
        if (status === null || !view.intersects([[b[0], b[1]], [b[2], b[3]]])) { return; }
        if (state.statuses[status]) { (byMode[segment.mode] = byMode[segment.mode] || {})[segment.corridor] = 1; }
        if (state.modes[segment.mode]) { (byStatus[status] = byStatus[status] || {})[segment.corridor] = 1; }
        if (state.statuses[status] && state.modes[segment.mode]) { shown[segment.corridor] = 1; }
    });
    function size(object) { return object ? Object.keys(object).length : 0; }
    Object.keys(countCells.mode).forEach(function (m) { countCells.mode[m].textContent = String(size(byMode[m])); });
    Object.keys(countCells.status).forEach(function (s) { countCells.status[s].textContent = String(size(byStatus[s])); });
    var n = size(shown);
    inView.textContent = _n("{n} corridor in view", "{n} corridors in view", n);
}

// ------------------------------------------------------------------ search
function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
// A name matches however it is spelled: case, accents, hyphens and spaces aside
// ("jalalabad" finds Jalal-Abad), and by the other names the data gives (data/aliases.csv).
function tighten(key) { return key.replace(/[^0-9a-z\u00c0-\uffff]+/g, ""); }
var index = [];
data.search.forEach(function (entry) {
    [entry.label].concat(entry.aliases || []).forEach(function (name, i) {
        var key = fold(name);
        index.push({entry: entry, key: key, tight: tighten(key), alias: i ? name : null});
    });
});
var matches = [], active = -1;

function showResults() {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    matches.forEach(function (match, i) {
        var entry = match.entry;
        var item = el("li", i === active ? "cm-active-result" : "");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.appendChild(el("span", "cm-result-name", entry.label));
        var kind = entry.kind + (match.alias ? " · " + text.also.replace("{name}", match.alias) : "");
        item.appendChild(el("span", "cm-result-kind", kind));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(entry); });
        results.appendChild(item);
    });
    results.hidden = matches.length === 0;
    input.setAttribute("aria-expanded", matches.length ? "true" : "false");
    if (active >= 0) { input.setAttribute("aria-activedescendant", listId + "-" + active); }
    else { input.removeAttribute("aria-activedescendant"); }
}

function search() {
    var query = fold(input.value.trim()), tight = tighten(query);
    active = -1;
    if (!query) { matches = []; showResults(); return; }
    var ranks = [[], [], [], [], [], [], [], []], seen = [];
    index.forEach(function (item) {
        var at = item.key.indexOf(query), rank = -1;
        if (at === 0) { rank = 0; }
        else if (at > 0 && /[\s(–-]/.test(item.key.charAt(at - 1))) { rank = 1; }
        else if (at > 0) { rank = 2; }
        else if (tight && item.tight.indexOf(tight) >= 0) { rank = 3; }
        // A name's own spelling ranks before another name that matches as well.
        if (rank >= 0) { ranks[2 * rank + (item.alias ? 1 : 0)].push(item); }
    });
    matches = [];
    ranks.forEach(function (items) {
        items.forEach(function (item) {
            if (seen.indexOf(item.entry) < 0) { seen.push(item.entry); matches.push(item); }
        });
    });
    matches = matches.slice(0, 8);
    showResults();
}

function openCorridor(id) {
    var best = null, most = -1;
    segmentIds.forEach(function (segmentId) {
        var line = lines[segmentId];
        if (data.segments[segmentId].corridor !== id || !map.hasLayer(line)) { return; }
        var size = line.getLatLngs().length;
        if (size > most) { most = size; best = line; }
    });
    if (best && groups[id]) { groups[id].openPopup(best.getCenter()); }
}

function afterFlight(action) {
    var done = false;
    function run() { if (!done) { done = true; action(); } }
    map.once("moveend", run);
    setTimeout(run, 1200);
}

function choose(entry) {
    matches = [];
    showResults();
    input.value = entry.label;
    map.closePopup();
    if (entry.corridor) {
        var b = entry.box;
        afterFlight(function () { openCorridor(entry.corridor); });
        map.flyToBounds([[b[0], b[1]], [b[2], b[3]]], {padding: [40, 40], duration: 0.8, maxZoom: 9});
    } else {
        var marker = markers[entry.place];
        afterFlight(function () {
            if (!marker || !map.hasLayer(marker)) { return; }
            marker.openTooltip();
            // Opened by the search, not by the mouse: close it when the reader moves on.
            map.once("movestart zoomstart click", function () { marker.closeTooltip(); });
        });
        map.flyTo(entry.at, Math.max(map.getZoom(), 8), {duration: 0.8});
    }
}

input.addEventListener("input", search);
input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!matches.length) { search(); }
        if (!matches.length) { return; }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + matches.length) % matches.length;
        showResults();
    } else if (event.key === "Enter") {
        event.preventDefault();
        if (matches.length) { choose(matches[Math.max(active, 0)].entry); }
    } else if (event.key === "Escape") {
        matches = [];
        showResults();
    }
});
input.addEventListener("blur", function () { setTimeout(function () { matches = []; showResults(); }, 150); });
L.DomEvent.disableClickPropagation(tools);
L.DomEvent.disableScrollPropagation(tools);

// ------------------------------------------------------------------ labels placed per zoom
var zooms = data.label_zooms;
var labelsPending = false;
function syncLabels() {
    labelsPending = false;
    var z = Math.min(Math.max(Math.floor(map.getZoom() + 1e-6), zooms[0]), zooms[1]) - zooms[0];
    container.classList.toggle("cm-low", z + zooms[0] <= data.low_zoom);
    var zoom = map.getZoom();  // the relief fades rather than show its pixels up close
    container.classList.toggle("cm-relief-dim", zoom >= data.relief_fade[0]);
    container.classList.toggle("cm-relief-dimmer", zoom >= data.relief_fade[1]);
    container.querySelectorAll(".cm-label span[data-z]").forEach(function (span) {
        span.className = "cm-at" + span.getAttribute("data-z").charAt(z);
    });
}
function laterLabels() {
    if (!labelsPending) { labelsPending = true; setTimeout(syncLabels, 0); }
}
map.on("zoomend", syncLabels);
map.on("moveend", counts);
map.on("layeradd", laterLabels);

// ------------------------------------------------------------------ phone, embed and resize
var narrowLayout = null, smallLayout = null, userMoved = false, fitting = false;
function narrow() { return map.getSize().x < data.narrow; }
// A phone or a small embed: the panel folds to its title and buttons.
function small() { var size = map.getSize(); return narrow() && (size.x < 480 || size.y < data.small_height); }

var findButton = el("button", "cm-find", text.find);
findButton.type = "button";
tools.id = prefix + "-tools";
findButton.setAttribute("aria-controls", tools.id);
findButton.setAttribute("aria-expanded", "false");
findButton.addEventListener("click", function () {
    var open = !tools.classList.contains("cm-open");
    tools.classList.toggle("cm-open", open);
    findButton.setAttribute("aria-expanded", String(open));
    if (open) { input.focus(); }
});
if (panel) { panel.insertBefore(findButton, tools); }

function layout() {
    var isNarrow = narrow(), isSmall = small();
    container.classList.toggle("cm-narrow", isNarrow);
    container.classList.toggle("cm-small", isSmall);
    if (isSmall !== smallLayout) {
        smallLayout = isSmall;
        tools.classList.remove("cm-open");
        findButton.setAttribute("aria-expanded", "false");
    }
    if (isNarrow === narrowLayout) { return; }
    narrowLayout = isNarrow;
    var legend = panel && panel.querySelector("details:not(.cm-filters)");
    if (legend) { legend.open = !isNarrow; }
    filters.open = !isNarrow;
    if (isNarrow) { layerControl.collapse(); } else { layerControl.expand(); }
}
map.on("click", function () { if (narrow()) { layerControl.collapse(); } });

function bottomOf(node) {
    return node && node.offsetHeight ? node.offsetTop + node.offsetHeight + 8 : 12;
}

// Room a popup keeps clear of: the panel (top left) and the layer control (top right). On a
// narrow map with too little room under the panel, the panel steps aside while a popup is open.
function clearance(width) {
    var size = map.getSize(), control = layerControl.getContainer();
    var left = panel && !narrow() ? panel.offsetWidth + 20 : 12;
    if (size.x - left < width + 60) { left = 12; }
    var top = Math.max(bottomOf(control), narrow() && !panelAside() ? bottomOf(panel) : 12);
    return [left, top, rightOf()];
}
// The zoom and full-screen buttons (bottom right) stay uncovered too.
function rightOf() {
    var widest = 0;
    container.querySelectorAll(".leaflet-bottom.leaflet-right .leaflet-bar").forEach(function (bar) {
        widest = Math.max(widest, bar.offsetWidth);
    });
    return widest ? widest + 20 : 12;
}
function panelAside() {
    return narrow() && map.getSize().y - bottomOf(panel) < data.popup_room;
}

function sizePopups() {
    var size = map.getSize();
    var width = Math.max(160, Math.min(380, size.x - 40 - rightOf() - 28));
    var clear = clearance(width);
    // The popup's content scrolls inside this height: the popup (tip and close button
    // included) fits between the controls at the top and the credits at the bottom.
    var height = Math.max(120, size.y - clear[1] - 36 - 44);
    container.style.setProperty("--cm-pop-h", height + "px");
    Object.keys(groups).forEach(function (id) {
        var popup = groups[id].getPopup();
        if (!popup) { return; }
        popup.options.maxWidth = width;
        popup.options.minWidth = Math.min(260, width);
        popup.options.maxHeight = null;
        popup.options.autoPanPaddingTopLeft = L.point(clear[0], clear[1]);
        popup.options.autoPanPaddingBottomRight = L.point(clear[2], 36);
    });
}

// Pan so the open popup lies wholly in the free part of the map (after it grew or shrank).
function keepInside(popup) {
    var box = popup && popup.getElement();
    if (!box || !map.hasLayer(popup)) { return; }
    var frame = container.getBoundingClientRect(), rect = box.getBoundingClientRect();
    var clear = clearance(box.offsetWidth), dx = 0, dy = 0;
    var left = frame.left + clear[0], top = frame.top + clear[1];
    var right = frame.right - clear[2], bottom = frame.bottom - 36;
    if (rect.left < left) { dx = rect.left - left; } else if (rect.right > right) { dx = rect.right - right; }
    if (rect.top < top) { dy = rect.top - top; } else if (rect.bottom > bottom) { dy = rect.bottom - bottom; }
    if (dx || dy) { map.panBy([Math.round(dx), Math.round(dy)], {animate: false}); }
}

var openPopup = null;
map.on("popupopen", function (event) {
    openPopup = event.popup;
    container.classList.toggle("cm-panel-aside", panelAside());
    sizePopups();
    event.popup.update();
    keepInside(event.popup);
});
map.on("popupclose", function (event) {
    if (openPopup === event.popup) { openPopup = null; }
    container.classList.remove("cm-panel-aside");
});
// "Details and sources" unfolds inside the popup: keep the grown popup in view.
container.addEventListener("toggle", function (event) {
    if (openPopup && event.target.classList && event.target.classList.contains("cm-more")) {
        keepInside(openPopup);
    }
}, true);

// A tap (or click) near a line opens it: lines are a few pixels wide, fingers are not.
var tolerance = window.matchMedia && window.matchMedia("(pointer: coarse)").matches ? 15 : 10;
function nearestCorridor(point) {
    var best = null, least = tolerance;
    segmentIds.forEach(function (id) {
        var line = lines[id], b = data.segments[id].box;
        if (!line || !map.hasLayer(line)) { return; }
        var sw = map.latLngToContainerPoint([b[0], b[1]]), ne = map.latLngToContainerPoint([b[2], b[3]]);
        if (point.x < sw.x - least || point.x > ne.x + least || point.y > sw.y + least ||
            point.y < ne.y - least) { return; }
        var parts = line.getLatLngs();
        if (parts.length && !Array.isArray(parts[0])) { parts = [parts]; }
        parts.forEach(function (part) {
            var previous = null;
            part.forEach(function (latlng) {
                var here = map.latLngToContainerPoint(latlng);
                if (previous) {
                    var distance = L.LineUtil.pointToSegmentDistance(point, previous, here);
                    if (distance <= least) { least = distance; best = id; }
                }
                previous = here;
            });
        });
    });
    return best;
}
map.on("click", function (event) {
    var target = event.originalEvent && event.originalEvent.target;
    if (target && target.classList && target.classList.contains("leaflet-interactive")) { return; }
    var id = nearestCorridor(event.containerPoint);
    var group = id && groups[data.segments[id].corridor];
    if (group) { group.openPopup(event.latlng); }
});

function fit() {
    var size = map.getSize(), left = 24, top = 24;
    if (panel && !narrow()) {
        left = panel.offsetWidth + 24;
        if (left > size.x / 2) { left = 24; }
    } else if (panel) {
        top = panel.offsetTop + panel.offsetHeight + 8;
        if (top > size.y / 2) { top = 24; }
    }
    fitting = true;
    map.fitBounds(data.bounds, {paddingTopLeft: [left, top], paddingBottomRight: [16, 24], animate: false});
    fitting = false;
}
map.on("movestart", function () { if (!fitting) { userMoved = true; } });

var resizeTimer = null;
map.on("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
        layout();
        sizePopups();
        if (!userMoved) { fit(); }
        map.fire("cm:refit");
    }, 120);
});
if (window.ResizeObserver) {
    new ResizeObserver(function () { map.invalidateSize({debounceMoveend: true}); }).observe(container);
}

// The clicked corridor stays the most visible thing while its popup is open.
map.on("popupopen", function (event) {
    var id = event.popup._source && groupIds[L.stamp(event.popup._source)];
    if (!id) { return; }
    segmentIds.forEach(function (segmentId) {
        var line = lines[segmentId];
        if (data.segments[segmentId].corridor === id && map.hasLayer(line)) {
            line.bringToFront();
            L.DomUtil.addClass(line.getElement(), "cm-selected");
        }
    });
});
map.on("popupclose", function () {
    container.querySelectorAll(".cm-selected").forEach(function (path) {
        L.DomUtil.removeClass(path, "cm-selected");
    });
});

// ------------------------------------------------------------------ keyboard
var skip = el("a", "cm-skip", _("Skip to map controls"));
skip.href = "#" + searchId;
skip.addEventListener("click", function (event) { event.preventDefault(); input.focus(); });
container.parentNode.insertBefore(skip, container);
Object.keys(markers).forEach(function (id) {
    var dot = markers[id].getElement();
    if (dot) { dot.setAttribute("tabindex", "-1"); }
});

layout();
sizePopups();
fit();
apply();
syncLabels();
