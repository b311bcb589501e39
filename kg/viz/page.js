// Draws the graph of the kg-data block with vis-network and wires the controls. Tooltips
// arrive as HTML whose document strings were escaped by kg.viz.draw; relation labels show
// on hover only. Filters hide nodes and edges through DataViews; a click highlights a
// neighbourhood by updating colours in the DataSets and lists the node's relations, evidence
// and documents in the panel, built with textContent only. `window.kg` is there for tests.
"use strict";
var network, kg;
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var DIM = "#e6e6e6", DIM_FONT = "#d0d0d0";
  var $ = function (id) { return document.getElementById(id); };
  var state = {classes: {}, families: {}, minConfidence: 0, from: -Infinity, to: Infinity, lateral: false};
  document.querySelectorAll("input[data-document]").forEach(function (box) {
    state.classes[box.dataset.class] = box.checked;  // documents on a toggle start unticked
  });
  var base = {}, byName = {};
  function tip(html) {
    var div = document.createElement("div");
    div.className = "kg-tip";
    div.innerHTML = html;
    return div;
  }
  data.nodes.forEach(function (n) {
    n.title = tip(n.title);
    n.text = n.label;  // drawn by the page (see "Labels that fit"), not by vis-network
    delete n.label;
    base[n.id] = {color: n.color};
    n.names.forEach(function (name) {
      var key = name.toLowerCase();
      if (!(key in byName)) byName[key] = n.id;
    });
  });
  data.edges.forEach(function (e) {
    e.title = tip(e.title);
    e.predicate = e.label;  // shown on hover only: edge labels cost vis-network much to build and draw
    delete e.label;
    base[e.id] = e.color;
  });
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);

  function inYears(years) {
    return !years.length || years.some(function (y) { return y >= state.from && y <= state.to; });
  }
  function nodeShown(n) { return state.classes[n.group] !== false && inYears(n.years); }
  function edgeShown(e) {
    return state.families[e.family] !== false && inYears(e.years) && (!e.lateral || state.lateral) &&
      (e.confidence === null || e.confidence >= state.minConfidence) &&
      nodeShown(nodes.get(e.from)) && nodeShown(nodes.get(e.to));
  }
  var nodeView = new vis.DataView(nodes, {filter: nodeShown});
  var edgeView = new vis.DataView(edges, {filter: edgeShown});
  network = new vis.Network($("kg-graph"), {nodes: nodeView, edges: edgeView}, data.options);
  // Small graphs: no giant nodes; others: a margin, so that labels at the edges stay whole.
  network.moveTo({scale: Math.min(1, network.getScale() * 0.9)});

  // Labels that fit: the page draws each label itself, at a constant size on the screen, and
  // only where it covers no label of a more central node (the selected one and its neighbours
  // first); the others come as one zooms in, and on hover. kg.labels lists the drawn boxes.
  var PAD = 2, CELL = 80, LABEL = "#222222";
  var dim = {}, hovered = null, boxes = [];
  var face = data.options.nodes.font.face, widthAt100 = {}, order = [], byId = {};
  var measure = document.createElement("canvas").getContext("2d");
  data.nodes.forEach(function (n) {
    var o = {id: n.id, px: n.labelPx || 12, size: n.size || 10, text: String(n.text || "")};
    order.push(o);
    byId[n.id] = o;
  });
  order.sort(function (a, b) { return (b.px - a.px) || (b.size - a.size) || (a.id < b.id ? -1 : 1); });
  function colorOf(id) { return dim[id] ? DIM : base[id].color; }
  function textWidth(o) {  // at 100 px; measured once
    if (!(o.id in widthAt100)) {
      measure.font = "100px " + face;
      widthAt100[o.id] = measure.measureText(o.text).width;
    }
    return widthAt100[o.id];
  }
  function labelBoxes(scale) {  // the labels to draw now: [id, left, top, right, bottom] in canvas units
    var shown = {}, grid = {}, found = [], seen = {};
    nodeView.getIds().forEach(function (id) { shown[id] = true; });
    var pos = network.getPositions(Object.keys(shown));
    var first = [hovered, kg.centre || data.selected].concat(kg.highlighted || []);
    var ranked = first.map(function (id) { return byId[id]; }).concat(order);
    ranked.forEach(function (o) {
      if (!o || seen[o.id] || !shown[o.id] || !o.text) return;
      seen[o.id] = true;
      var p = pos[o.id], px = o.px / scale, w = textWidth(o) * px / 100;
      var top = p.y + o.size + 4 / scale;
      var box = [o.id, p.x - w / 2, top, p.x + w / 2, top + 1.2 * px];
      if (o.id === hovered || place(grid, box, PAD / scale)) found.push(box);
    });
    return found;
  }
  function place(grid, box, pad) {  // add box to the grid unless it overlaps a box there
    var cell = CELL / network.getScale(), cells = [];
    var l = box[1] - pad, t = box[2] - pad, r = box[3] + pad, b = box[4] + pad;
    for (var cx = Math.floor(l / cell); cx <= Math.floor(r / cell); cx++) {
      for (var cy = Math.floor(t / cell); cy <= Math.floor(b / cell); cy++) {
        var key = cx + "," + cy, there = grid[key] || [];
        for (var i = 0; i < there.length; i++) {
          var q = there[i];
          if (l < q[2] && q[0] < r && t < q[3] && q[1] < b) return false;
        }
        cells.push(key);
      }
    }
    cells.forEach(function (key) { (grid[key] = grid[key] || []).push([l, t, r, b]); });
    return true;
  }
  function drawLabels(ctx) {
    if (!kg) return;
    var scale = network.getScale();
    boxes = labelBoxes(scale);
    kg.labels = boxes;
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 / scale;
    ctx.strokeStyle = "#ffffff";
    boxes.forEach(function (box) {
      var o = byId[box[0]];
      ctx.font = (o.px / scale) + "px " + face;
      ctx.fillStyle = dim[o.id] ? DIM_FONT : LABEL;
      ctx.strokeText(o.text, (box[1] + box[3]) / 2, box[2]);
      ctx.fillText(o.text, (box[1] + box[3]) / 2, box[2]);
    });
    ctx.restore();
  }
  function declutter() { network.redraw(); }

  function highlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    dim = {};
    nodes.getIds().forEach(function (n) { if (!keep[n]) dim[n] = true; });
    kg.highlighted = Object.keys(keep).sort();
    kg.centre = id;
    nodes.update(nodes.getIds().map(function (n) { return {id: n, color: colorOf(n)}; }));
    edges.update(edges.get().map(function (e) {
      var near = e.from === id || e.to === id;
      return {id: e.id, color: Object.assign({}, base[e.id], {opacity: near ? 0.9 : 0.06})};
    }));
    declutter();
  }
  function reset() {
    if (!kg.highlighted) return;
    dim = {};
    kg.highlighted = kg.centre = null;
    nodes.update(nodes.getIds().map(function (n) { return {id: n, color: base[n].color}; }));
    edges.update(edges.getIds().map(function (e) { return {id: e, color: base[e]}; }));
    declutter();
  }
  function select(id, relation) {
    if (!nodeView.get(id)) {
      $("kg-found").textContent = nodes.get(id).text + " is hidden by the filters.";
      return;
    }
    $("kg-found").textContent = "";
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: false});
    highlight(id);
    showPanel(id, relation);
  }
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    if (kg.centre !== null) {  // the neighbourhood shown may have changed
      if (nodeView.get(kg.centre)) highlight(kg.centre); else reset();
    }
    writeHash();
    var count = function (view, test) { return view.get({filter: test}).length; };
    var isDoc = function (n) { return n.kind === "document"; };
    var isLink = function (e) { return e.family === "document"; };
    var docs = count(nodes, isDoc), links = count(edges, isLink);
    var docsShown = docs ? count(nodeView, isDoc) : 0, linksShown = links ? count(edgeView, isLink) : 0;
    $("kg-shown").textContent = (nodeView.length - docsShown) + " of " + (nodes.length - docs) +
      " entities and " + (edgeView.length - linksShown) + " of " + (edges.length - links) +
      " relations shown" + (docs ? "; " + docsShown + " of " + docs + " documents." : ".");
  }


  // The panel: what the selected entity or document states, with evidence and documents.
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function nodeLink(id, text) {  // selects a node of this page, showing its kind if hidden
    var a = el("a", text);
    a.href = "#";
    a.dataset.node = id;
    return a;
  }
  function docLink(index) {  // a document: in this page, in a served view, or the command
    var doc = data.docs[index], span = el("span");
    if (doc.node) span.appendChild(nodeLink(doc.id, doc.title));
    else if (data.served && doc.docId) {
      var a = el("a", doc.title);
      a.href = "?doc=" + encodeURIComponent(doc.docId);
      span.appendChild(a);
    } else span.appendChild(el("i", doc.title));
    if (doc.year) span.appendChild(document.createTextNode(" (" + doc.year + ")"));
    if (!doc.node && !data.served && doc.docId) {
      span.appendChild(document.createTextNode(" "));
      span.appendChild(el("code", "kg viz --doc " + doc.docId));
    }
    if (doc.url) {
      var web = el("a", "web");
      web.href = doc.url;
      web.rel = "noopener noreferrer";
      web.target = "_blank";
      span.appendChild(document.createTextNode(" · "));
      span.appendChild(web);
    }
    return span;
  }
  function viewLink(text, param, value) {  // another view: a URL when served, else the command
    var line = el("p", null, "kg-meta");
    if (data.served) {
      var a = el("a", text);
      a.href = "?" + param + "=" + encodeURIComponent(value);
      line.appendChild(a);
    } else line.appendChild(el("code", "kg viz --" + param + " " + value));
    return line;
  }
  function relationItem(e) {
    var item = el("li"), details = el("details"), summary = el("summary");
    [e.from, e.to].forEach(function (end, i) {
      if (i) summary.appendChild(document.createTextNode(" " + e.predicate + " "));
      summary.appendChild(el("b", nodes.get(end).text));
    });
    var facts = [];
    if (e.years.length) facts.push(e.years[0] === e.years[e.years.length - 1] ? e.years[0] : e.years[0] + "–" + e.years[e.years.length - 1]);
    facts.push(e.documents ? e.documents + " document" + (e.documents === 1 ? "" : "s") : "curated fact");
    summary.appendChild(el("span", " · " + facts.join(" · "), "kg-meta"));
    details.appendChild(summary);
    e.evidence.forEach(function (ev) {
      details.appendChild(el("blockquote", "“" + ev[0] + "”"));
      var meta = el("p", null, "kg-meta");
      if (ev[1] >= 0) meta.appendChild(docLink(ev[1]));
      meta.appendChild(document.createTextNode(", confidence " + ev[2].toFixed(2)));
      details.appendChild(meta);
    });
    if (e.documents > e.evidence.length) details.appendChild(el("p", "…and more in the other documents.", "kg-meta"));
    item.appendChild(details);
    return item;
  }
  function statedItem(row) {  // [subject, relation, object, sentence, confidence, edge id]
    var item = el("li");
    item.appendChild(el("b", row[0]));
    item.appendChild(document.createTextNode(" " + row[1] + " "));
    item.appendChild(el("b", row[2]));
    item.appendChild(el("blockquote", "“" + row[3] + "”"));
    item.appendChild(el("span", "confidence " + row[4].toFixed(2), "kg-meta"));
    return item;
  }
  function section(panel, title, items, total) {
    panel.appendChild(el("h3", title + " (" + total + ")"));
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(item); });
    panel.appendChild(list);
    if (total > items.length) panel.appendChild(el("p", (total - items.length) + " more not listed here.", "kg-meta"));
  }
  function showPanel(id, relation) {
    var panel = $("kg-panel"), n = nodes.get(id);
    panel.replaceChildren();
    kg.panel = id;
    kg.relation = relation || "";
    writeHash();
    if (!n) return;
    panel.appendChild(el("h2", n.kind === "document" ? data.docs[n.doc].title : n.text));
    if (n.kind === "document") {
      var doc = data.docs[n.doc];
      panel.appendChild(el("p", doc.kind + (doc.year ? ", " + doc.year : "") + (doc.docId ? " · id " + doc.docId : ""), "kg-meta"));
      if (doc.docId) panel.appendChild(viewLink("its own view", "doc", doc.docId));
      if (doc.url) panel.appendChild(el("p")).appendChild(docLink(n.doc));
      section(panel, "Relations it states", n.stated.map(statedItem), n.statedCount);
      section(panel, "Entities it names", n.named.map(function (row) {
        var item = el("li");
        item.appendChild(nodes.get(row[0]) ? nodeLink(row[0], row[1]) : el("span", row[1]));
        if (row[2]) item.appendChild(el("span", " · " + row[2] + "×", "kg-meta"));
        return item;
      }), n.namedCount);
    } else {
      panel.appendChild(viewLink("its neighbourhood", "focus", id));
      var rels = edges.get({filter: function (e) {
        return e.family !== "document" && (e.from === id || e.to === id) &&
          (!kg.relation || e.predicate.toLowerCase().indexOf(kg.relation) === 0);
      }});
      rels.sort(function (a, b) { return (b.documents - a.documents) || (a.id < b.id ? -1 : 1); });
      section(panel, kg.relation ? "Relations: " + kg.relation + "…" : "Relations", rels.map(relationItem), rels.length);
      section(panel, "Documents naming it", n.docs.map(function (index) {
        var item = el("li");
        item.appendChild(docLink(index));
        return item;
      }), n.documents);
    }
  }
  function clearPanel() {
    kg.panel = null;
    kg.relation = "";
    writeHash();
    $("kg-panel").replaceChildren(el("p", "Click an entity or a document: its relations, with their evidence, and its documents are listed here.", "kg-meta"));
  }
  $("kg-panel").addEventListener("click", function (event) {
    var target = event.target.closest("a[data-node]");
    if (!target) return;
    event.preventDefault();
    reveal(target.dataset.node);
    select(target.dataset.node);
  });
  function reveal(id) {  // tick the kind of a node the filters hide, so it can be selected
    var group = nodes.get(id).group;
    if (state.classes[group] === false) {
      var box = document.querySelector("input[data-class='" + group + "']");
      if (box) box.checked = true;
      state.classes[group] = true;
      refresh();
    }
  }

  // The state of the page (what is ticked, the sliders, the selection) lives in the address's
  // fragment, so that a link shares the view as one sees it.
  function writeHash() {
    var off = [], on = [], p = new URLSearchParams();
    document.querySelectorAll("input[data-class], input[data-family]").forEach(function (box) {
      var ticked = !(box.dataset.document && data.documentsHidden);
      if (box.checked !== ticked) (box.checked ? on : off).push(box.dataset.class || box.dataset.family);
    });
    if (state.lateral) on.push("lateral");
    if (off.length) p.set("off", off.join(","));
    if (on.length) p.set("on", on.join(","));
    if (state.minConfidence) p.set("confidence", state.minConfidence.toFixed(2));
    ["kg-from", "kg-to"].forEach(function (name) {
      var input = $(name);
      if (input && input.value !== (name === "kg-from" ? input.min : input.max)) p.set(name.slice(3), input.value);
    });
    if (kg && kg.panel) p.set("select", kg.panel);
    if (kg && kg.relation) p.set("relation", kg.relation);
    var hash = p.toString();
    if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    var set = function (names, ticked) {
      (names || "").split(",").filter(Boolean).forEach(function (name) {
        if (name === "lateral" && $("kg-lateral")) { $("kg-lateral").checked = state.lateral = ticked; return; }
        document.querySelectorAll("input[data-class], input[data-family]").forEach(function (box) {
          if (box.dataset.class === name) { box.checked = ticked; state.classes[name] = ticked; }
          if (box.dataset.family === name) { box.checked = ticked; state.families[name] = ticked; }
        });
      });
    };
    set(p.get("off"), false);
    set(p.get("on"), true);
    if (p.get("confidence")) {
      $("kg-confidence").value = p.get("confidence");
      state.minConfidence = Number($("kg-confidence").value);
      $("kg-confidence-value").textContent = state.minConfidence.toFixed(2);
    }
    if ($("kg-from") && (p.get("from") || p.get("to"))) {
      if (p.get("from")) $("kg-from").value = p.get("from");
      if (p.get("to")) $("kg-to").value = p.get("to");
      state.from = Number($("kg-from").value);
      state.to = Number($("kg-to").value);
      $("kg-years-value").textContent = $("kg-from").value + "–" + $("kg-to").value;
    }
    return {id: p.get("select"), relation: p.get("relation") || ""};
  }

  var list = $("kg-names");
  Object.keys(byName).sort().forEach(function (key) {
    var option = document.createElement("option");
    var node = nodes.get(byName[key]);
    option.value = node.names.filter(function (n) { return n.toLowerCase() === key; })[0];
    if (option.value !== node.text) option.label = node.text;
    list.appendChild(option);
  });
  function find(text) {  // a name, or a name and the start of a relation: "China supports"
    var words = text.trim().toLowerCase().split(/\s+/);
    for (var i = words.length; i > 0; i--) {
      var id = byName[words.slice(0, i).join(" ")];
      if (id !== undefined) return {id: id, relation: words.slice(i).join("")};
    }
    return null;
  }
  $("kg-search").addEventListener("input", function (event) {
    var found = find(event.target.value);
    if (!found || (found.id === kg.panel && found.relation === kg.relation)) return;
    if (found.relation && nodes.get(found.id).kind === "document") return;
    select(found.id, found.relation);
  });
  document.querySelectorAll("input[data-class]").forEach(function (box) {
    box.addEventListener("change", function () { state.classes[box.dataset.class] = box.checked; refresh(); });
  });
  if ($("kg-lateral")) $("kg-lateral").addEventListener("change", function (event) {
    state.lateral = event.target.checked;
    refresh();
  });
  document.querySelectorAll("input[data-family]").forEach(function (box) {
    box.addEventListener("change", function () { state.families[box.dataset.family] = box.checked; refresh(); });
  });
  $("kg-confidence").addEventListener("input", function (event) {
    state.minConfidence = Number(event.target.value);
    $("kg-confidence-value").textContent = state.minConfidence.toFixed(2);
    refresh();
  });
  function years(event) {
    var from = $("kg-from"), to = $("kg-to");
    if (Number(from.value) > Number(to.value)) (event.target === from ? to : from).value = event.target.value;
    state.from = Number(from.value);
    state.to = Number(to.value);
    $("kg-years-value").textContent = from.value + "–" + to.value;
    refresh();
  }
  if ($("kg-from")) [$("kg-from"), $("kg-to")].forEach(function (input) { input.addEventListener("input", years); });

  network.on("click", function (p) {
    if (p.nodes.length) { highlight(p.nodes[0]); showPanel(p.nodes[0]); } else { reset(); clearPanel(); }
  });
  network.on("afterDrawing", drawLabels);
  network.on("hoverNode", function (p) { hovered = p.node; network.redraw(); });
  network.on("blurNode", function () { hovered = null; network.redraw(); });
  network.on("hoverEdge", function (p) {
    edges.update({id: p.edge, label: edges.get(p.edge).predicate, font: {size: 13}});
  });
  network.on("blurEdge", function (p) { edges.update({id: p.edge, label: " ", font: {size: 0}}); });
  network.once("afterDrawing", function () {
    window.kgDrawnAt = performance.now();
    document.body.dataset.drawn = "true";
  });
  kg = {network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
        highlighted: null, centre: null, select: select, panel: null, relation: "", declutter: declutter,
        face: face, labels: []};
  var asked = readHash();
  refresh();
  declutter();
  if (asked.id && nodes.get(asked.id)) select(asked.id, asked.relation);
  else if (data.selected && nodeView.get(data.selected)) {
    network.selectNodes([data.selected]);
    showPanel(data.selected);
  }
})();
