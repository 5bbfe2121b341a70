// The cockpit's charts, drawn with the project's own copy of ECharts from the
// figures the page carries in <script id="cockpit-data" type="application/json">.
// Every bar and slice opens the list of the rows behind it (the page gives each
// its address); the chart's node records them in data-links for keyboard users
// and tests.
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;

  function draw(id, option, urlOf) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    // SVG: crisp at any zoom, and each label is an element a test can measure
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = urlOf(params);
      if (url) {
        window.location.assign(url);
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // the legend on its own line at the top, the grid below it, the rotated unit
  // names inside the chart's box: nothing overlaps whatever the names' length
  draw("chart-units", {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [labels.response, labels.satisfaction] },
    grid: { top: 48, left: 8, right: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: "category",
      data: data.units,
      axisLabel: { rotate: 40, interval: 0, width: 96, overflow: "truncate" }
    },
    yAxis: { type: "value", max: 100 },
    series: [
      // a 0 % bar keeps a sliver to click
      { name: labels.response, type: "bar", data: data.response, barMinHeight: 3, cursor: "pointer" },
      { name: labels.satisfaction, type: "bar", data: data.satisfaction, barMinHeight: 3, cursor: "pointer" }
    ]
  }, function (params) {
    var urls = params.seriesIndex === 0 ? data.response_urls : data.satisfaction_urls;
    return urls[params.dataIndex];
  });
  // every main task in the legend, those with no demand too
  draw("chart-tasks", {
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    legend: { type: "scroll", bottom: 0, data: data.tasks },
    series: [{
      name: labels.received,
      type: "pie",
      radius: "58%",
      center: ["50%", "45%"],
      stillShowZeroSum: true,
      label: { formatter: "{b}: {c}" },
      data: data.tasks.map(function (name, i) {
        return { name: name, value: data.task_received[i] };
      })
    }]
  }, function (params) {
    return data.task_urls[params.dataIndex];
  });
  draw("chart-phases", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 20, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: data.phases },
    series: [{ name: labels.elapsed, type: "bar", data: data.phase_elapsed, cursor: "pointer" }]
  }, function (params) {
    return data.phase_urls[params.dataIndex];
  });
})();
