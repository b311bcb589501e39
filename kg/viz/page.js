// Draws the graph of the kg-data block with vis-network and wires the controls. Tooltips
// arrive as HTML whose document strings were escaped by kg.viz.draw; relation labels show
// on hover only. Filters hide nodes and edges through DataViews; a click highlights a
// neighbourhood by updating colours in the DataSets. `window.kg` is there for tests.
"use strict";
var network, kg;
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var DIM = "#e6e6e6", DIM_FONT = "#d0d0d0";
  var $ = function (id) { return document.getElementById(id); };
  var state = {classes: {}, families: {}, minConfidence: 0, from: -Infinity, to: Infinity};
  var base = {}, byName = {};
  function tip(html) {
    var div = document.createElement("div");
    div.className = "kg-tip";
    div.innerHTML = html;
    return div;
  }
  data.nodes.forEach(function (n) {
    n.title = tip(n.title);
    base[n.id] = {color: n.color, font: n.font};
    n.names.forEach(function (name) {
      var key = name.toLowerCase();
      if (!(key in byName)) byName[key] = n.id;
    });
  });
  data.edges.forEach(function (e) { e.title = tip(e.title); base[e.id] = e.color; });
  var nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);

  function inYears(years) {
    return !years.length || years.some(function (y) { return y >= state.from && y <= state.to; });
  }
  function nodeShown(n) { return state.classes[n.group] !== false && inYears(n.years); }
  function edgeShown(e) {
    return state.families[e.family] !== false && inYears(e.years) &&
      (e.confidence === null || e.confidence >= state.minConfidence) &&
      nodeShown(nodes.get(e.from)) && nodeShown(nodes.get(e.to));
  }
  var nodeView = new vis.DataView(nodes, {filter: nodeShown});
  var edgeView = new vis.DataView(edges, {filter: edgeShown});
  network = new vis.Network($("kg-graph"), {nodes: nodeView, edges: edgeView}, data.options);
  if (network.getScale() > 1) network.moveTo({scale: 1});  // small graphs: no giant labels

  function highlight(id) {
    var keep = {};
    keep[id] = true;
    network.getConnectedNodes(id).forEach(function (n) { keep[n] = true; });
    nodes.update(nodes.getIds().map(function (n) {
      var font = Object.assign({}, base[n].font, keep[n] ? {} : {color: DIM_FONT});
      return {id: n, color: keep[n] ? base[n].color : DIM, font: font};
    }));
    edges.update(edges.get().map(function (e) {
      var near = e.from === id || e.to === id;
      return {id: e.id, color: Object.assign({}, base[e.id], {opacity: near ? 0.9 : 0.06})};
    }));
    kg.highlighted = Object.keys(keep).sort();
    kg.centre = id;
  }
  function reset() {
    if (!kg.highlighted) return;
    nodes.update(nodes.getIds().map(function (n) {
      return {id: n, color: base[n].color, font: base[n].font};
    }));
    edges.update(edges.getIds().map(function (e) { return {id: e, color: base[e]}; }));
    kg.highlighted = kg.centre = null;
  }
  function select(id) {
    if (!nodeView.get(id)) {
      $("kg-found").textContent = nodes.get(id).label + " is hidden by the filters.";
      return;
    }
    $("kg-found").textContent = "";
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: false});
    highlight(id);
  }
  function refresh() {
    nodeView.refresh();
    edgeView.refresh();
    if (kg.centre !== null) {  // the neighbourhood shown may have changed
      if (nodeView.get(kg.centre)) highlight(kg.centre); else reset();
    }
    $("kg-shown").textContent = nodeView.length + " of " + nodes.length + " entities and " +
      edgeView.length + " of " + edges.length + " relations shown.";
  }

  var list = $("kg-names");
  Object.keys(byName).sort().forEach(function (key) {
    var option = document.createElement("option");
    var node = nodes.get(byName[key]);
    option.value = node.names.filter(function (n) { return n.toLowerCase() === key; })[0];
    if (option.value !== node.label) option.label = node.label;
    list.appendChild(option);
  });
  $("kg-search").addEventListener("input", function (event) {
    var id = byName[event.target.value.trim().toLowerCase()];
    if (id !== undefined) select(id);
  });
  document.querySelectorAll("input[data-class]").forEach(function (box) {
    box.addEventListener("change", function () { state.classes[box.dataset.class] = box.checked; refresh(); });
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

  network.on("click", function (p) { if (p.nodes.length) highlight(p.nodes[0]); else reset(); });
  network.on("hoverEdge", function (p) { edges.update({id: p.edge, font: {size: 13}}); });
  network.on("blurEdge", function (p) { edges.update({id: p.edge, font: {size: 0}}); });
  network.once("afterDrawing", function () {
    window.kgDrawnAt = performance.now();
    document.body.dataset.drawn = "true";
  });
  kg = {network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
        highlighted: null, centre: null, select: select};
  refresh();
  if (data.selected) network.selectNodes([data.selected]);
})();
