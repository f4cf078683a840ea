// The dashboard's charts, drawn with Apache ECharts (vendor/echarts) from the numbers the page
// carries in <script type="application/json" id="dashboard-data"> (Django's json_script).
// No inline script or style: the site's Content-Security-Policy allows neither. Each chart's
// container already has its text alternative (caption, description, a table of the numbers);
// tooltips are drawn on the canvas (renderMode "richText"), not as HTML with inline styles.
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif';
  var BLUE = "#1a4d8f";
  var GREEN = "#1e6b3a";
  var RED = "#b3261e";
  var PALETTE = [BLUE, "#2f8f6b", "#e0a800", RED, "#6a4c93", "#5b6770", "#c8553d", "#3c91e6"];

  function narrow() {
    return window.matchMedia("(max-width: 600px)").matches;
  }

  function base() {
    return {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT, fontSize: 12, color: "#1a1a1a" },
      tooltip: { renderMode: "richText", confine: true },
    };
  }

  // "2026年3月" → "3月", keeping the year on the first month shown and on every January.
  function monthLabel(label, index) {
    if (index === 0 || /年1月$/.test(label)) {
      return label.replace("年", "年\n");
    }
    return label.slice(label.indexOf("年") + 1);
  }

  function trend(d) {
    var o = base();
    o.legend = { top: 0, data: ["收到", "办结"] };
    o.tooltip.trigger = "axis";
    o.grid = { left: 8, right: 12, top: 32, bottom: 8, containLabel: true };
    o.xAxis = {
      type: "category",
      data: d.labels,
      axisLabel: { formatter: monthLabel, interval: narrow() ? 1 : 0 },
    };
    o.yAxis = { type: "value", minInterval: 1, name: "件" };
    o.series = [
      { name: "收到", type: "bar", data: d.received, itemStyle: { color: BLUE } },
      { name: "办结", type: "line", data: d.closed, itemStyle: { color: GREEN }, symbolSize: 7 },
    ];
    return o;
  }

  function mix(items) {
    var o = base();
    var counts = {};
    items.forEach(function (item) { counts[item.name] = item.value; });
    var small = narrow();
    o.tooltip.trigger = "item";
    o.tooltip.formatter = "{b}：{c} 件（{d}%）";
    // The legend names each slice with its count; on a phone it goes under the pie.
    o.legend = {
      orient: "vertical",
      formatter: function (name) { return name + "  " + counts[name] + " 件"; },
      itemGap: 8,
    };
    if (small) {
      o.legend.bottom = 0;
      o.legend.left = "center";
    } else {
      o.legend.right = 0;
      o.legend.top = "middle";
    }
    o.series = [
      {
        type: "pie",
        percentPrecision: 0,
        radius: small ? ["28%", "52%"] : ["38%", "68%"],
        center: small ? ["50%", "34%"] : ["30%", "50%"],
        data: items,
        label: { formatter: "{d}%", fontSize: 12 },
        labelLine: { length: 6, length2: 6 },
      },
    ];
    return o;
  }

  function agencies(d) {
    var o = base();
    o.tooltip.trigger = "axis";
    o.legend = { top: 0, data: ["未办结", "已逾期"] };
    o.grid = { left: 8, right: 24, top: 32, bottom: 8, containLabel: true };
    o.xAxis = { type: "value", minInterval: 1, name: "件" };
    o.yAxis = {
      type: "category",
      data: d.names,
      inverse: true,
      axisLabel: { width: narrow() ? 84 : 180, overflow: "break" },
    };
    o.series = [
      { name: "未办结", type: "bar", data: d.open, itemStyle: { color: BLUE }, label: { show: true, position: "right" } },
      { name: "已逾期", type: "bar", data: d.overdue, itemStyle: { color: RED }, label: { show: true, position: "right" } },
    ];
    return o;
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var drawn = [];
    function draw(id, option) {
      var el = document.getElementById(id);
      if (!el) {
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(option);
      el.setAttribute("data-drawn", "true");
      drawn.push(chart);
    }
    draw("chart-trend", trend(data.trend));
    draw("chart-channels", mix(data.channels));
    draw("chart-outcomes", mix(data.outcomes));
    draw("chart-agencies", agencies(data.agencies));
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        drawn.forEach(function (chart) { chart.resize(); });
      }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
