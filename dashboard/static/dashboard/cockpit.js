// The cockpit's charts, drawn with the project's own copy of ECharts from the
// figures the page carries in <script id="cockpit-data" type="application/json">.
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;

  function draw(id, option) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    var chart = window.echarts.init(node);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("chart-units", {
    tooltip: { trigger: "axis" },
    legend: { data: [labels.response, labels.satisfaction] },
    grid: { left: 40, right: 10, bottom: 80 },
    xAxis: { type: "category", data: data.units, axisLabel: { rotate: 40 } },
    yAxis: { type: "value", max: 100 },
    series: [
      { name: labels.response, type: "bar", data: data.response },
      { name: labels.satisfaction, type: "bar", data: data.satisfaction }
    ]
  });
  draw("chart-tasks", {
    tooltip: { trigger: "item" },
    series: [{
      name: labels.received,
      type: "pie",
      radius: "65%",
      data: data.tasks.map(function (name, i) {
        return { name: name, value: data.task_received[i] };
      })
    }]
  });
  draw("chart-phases", {
    tooltip: { trigger: "axis" },
    grid: { left: 120, right: 20 },
    xAxis: { type: "value", max: 100 },
    yAxis: { type: "category", data: data.phases },
    series: [{ name: labels.elapsed, type: "bar", data: data.phase_elapsed }]
  });
})();
