// Render every chart div (class "chart", attribute data-spec=ID) from the JSON element #ID.
// body[data-charts-total] and body[data-charts-rendered] tell a test (or a printer) when done.
(function () {
  "use strict";
  function renderCharts(root) {
    var els = (root || document).querySelectorAll("div.chart[data-spec]");
    var body = document.body, done = 0, failed = 0;
    body.setAttribute("data-charts-total", String(els.length));
    body.setAttribute("data-charts-rendered", "0");
    if (!els.length) { body.setAttribute("data-charts-done", "1"); }
    els.forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-spec"));
      var finish = function () {
        if (done + failed === els.length) { body.setAttribute("data-charts-done", "1"); }
      };
      if (!src || typeof vegaEmbed === "undefined") {
        failed += 1; el.textContent = "chart unavailable"; finish(); return;
      }
      vegaEmbed(el, JSON.parse(src.textContent), { actions: false, renderer: "svg", mode: "vega-lite" })
        .then(function () {
          done += 1; el.setAttribute("data-rendered", "1");
          body.setAttribute("data-charts-rendered", String(done)); finish();
        })
        .catch(function (err) {
          failed += 1; el.className += " chart-error"; el.textContent = "chart failed: " + err; finish();
        });
    });
  }
  window.realpolitikRenderCharts = renderCharts;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { renderCharts(); });
  } else { renderCharts(); }
})();
