// Draws the graph of the kg-data block with vis-network. Tooltips arrive as HTML whose
// document strings were escaped by kg.viz.draw; relation labels show on hover only.
"use strict";
var network;
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  function tip(html) {
    var div = document.createElement("div");
    div.className = "kg-tip";
    div.innerHTML = html;
    return div;
  }
  data.nodes.forEach(function (n) { n.title = tip(n.title); });
  data.edges.forEach(function (e) { e.title = tip(e.title); });
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-graph");
  network = new vis.Network(container, {nodes: new vis.DataSet(data.nodes), edges: edges},
                            data.options);
  if (network.getScale() > 1) network.moveTo({scale: 1});  // small graphs: no giant labels
  network.on("hoverEdge", function (p) { edges.update({id: p.edge, font: {size: 13}}); });
  network.on("blurEdge", function (p) { edges.update({id: p.edge, font: {size: 0}}); });
  network.once("afterDrawing", function () {
    window.kgDrawnAt = performance.now();
    document.body.dataset.drawn = "true";
  });
})();
