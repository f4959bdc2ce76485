// Draws every chart on the page from its JSON (put there with json_script), so pages carry
// no inline script. Each chart's data is also in a table beside it. A figure may carry a
// "narrow" layout (shorter labels, smaller margins) used while its box is narrow, as on a
// phone; it is applied again when the window is resized across that width.
(function () {
  "use strict";
  var NARROW_PX = 600;

  function layoutFor(el, figure) {
    var layout = JSON.parse(JSON.stringify(figure.layout));
    if (!figure.narrow || el.clientWidth >= NARROW_PX) return layout;
    Object.keys(figure.narrow).forEach(function (key) {
      var value = figure.narrow[key];
      if (value && typeof value === "object" && !Array.isArray(value) && layout[key]) {
        Object.assign(layout[key], value);
      } else {
        layout[key] = value;
      }
    });
    return layout;
  }

  function configFor(narrow) {
    return {
      displaylogo: false,
      responsive: true,
      // On a phone the toolbar would sit over the legend, with buttons too small to tap.
      displayModeBar: narrow ? false : "hover",
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
      // plotly.js 4 offers to upload the chart's data to Plotly's cloud by default: a
      // trust's figures never leave the app that way.
      showSendToCloud: false,
      showEditInChartStudio: false,
    };
  }

  function draw() {
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || typeof Plotly === "undefined") return;
      var figure = JSON.parse(source.textContent);
      var narrow = el.clientWidth < NARROW_PX;
      charts.push({ el: el, figure: figure, narrow: narrow });
      Plotly.newPlot(el, figure.data, layoutFor(el, figure), configFor(narrow)).then(function () {
        el.setAttribute("data-rendered", "true");
      });
    });
    // A printed page is narrower than the screen: draw each chart to the page's width.
    window.addEventListener("beforeprint", function () {
      charts.forEach(function (chart) {
        Plotly.relayout(chart.el, { width: Math.min(chart.el.clientWidth, 680) });
      });
    });
    window.addEventListener("afterprint", function () {
      charts.forEach(function (chart) {
        Plotly.relayout(chart.el, { width: null, autosize: true });
      });
    });
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        charts.forEach(function (chart) {
          var narrow = chart.el.clientWidth < NARROW_PX;
          if (narrow === chart.narrow) return;
          chart.narrow = narrow;
          Plotly.react(
            chart.el,
            chart.figure.data,
            layoutFor(chart.el, chart.figure),
            configFor(narrow),
          );
        });
      }, 200);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
