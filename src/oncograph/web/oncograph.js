// oncograph's SPARQL page: YASGUI pointed at this server's /sparql, one tab per library query.
(function () {
  "use strict";
  var Yasgui = window.Yasgui && (window.Yasgui.default || window.Yasgui);
  var endpoint = window.location.origin + "/sparql";
  document.getElementById("endpoint").textContent = endpoint;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    autofocus: true
  });
  window.oncographYasgui = yasgui;
  // plain values in the results table (no quotes, no ^^xsd:integer), the way researchers read them;
  // the table's own "compact" switch turns the RDF view back on
  function plainTable(tab) {
    var yasr = tab && tab.getYasr && tab.getYasr();
    if (!yasr || !yasr.config || !yasr.config.plugins || !yasr.config.plugins.table) { return; }
    var current = yasr.config.plugins.table.dynamicConfig || {};
    if (current.compact === undefined) {
      yasr.config.plugins.table.dynamicConfig = Object.assign({}, current, { compact: true });
    }
  }
  yasgui.on("query", function (y, tab) { plainTable(tab); });
  yasgui.on("queryResponse", function (y, tab) { plainTable(tab); });
  fetch("/queries.json").then(function (r) { return r.json(); }).then(function (queries) {
    var first = yasgui.getTab();
    queries.forEach(function (q) {
      yasgui.addTab(false, { name: q.name, yasqe: { value: q.query }, requestConfig: { endpoint: endpoint } });
    });
    // keep the first, empty tab as a scratch pad for the researcher's own query
    if (first) { first.setName("my query"); }
    document.body.setAttribute("data-library-loaded", String(queries.length));
  });
})();
