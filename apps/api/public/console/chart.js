// uPlot (served by the app under /vendor/uplot/) wrapped for the console: sized to its box, redrawn on resize.

/** Loaded on the first chart, so views without one never fetch it (a URL the server routes, not a file next to this one). */
const UPLOT_URL = '/vendor/uplot/uPlot.esm.js';
let uplotModule = null;
const loadUplot = () => (uplotModule ??= import(UPLOT_URL).then((module) => module.default));

export const SERIES_COLOURS = ['#1f5fbf', '#b45309', '#17703a', '#b3261e', '#6d28d9', '#0e7490', '#4f5968'];

/**
 * A line chart in `box` (an element with the class chart-box): x in Unix seconds, one series per label.
 * `stepped`: draw each value until the next change (ledger levels); `yLabel`: the axis title.
 */
export async function lineChart(box, { labels, stepped = false, yLabel = '', height = 240 }) {
  const uPlot = await loadUplot();
  const series = [
    {},
    ...labels.map((label, index) => ({
      label,
      stroke: SERIES_COLOURS[index % SERIES_COLOURS.length],
      width: 2,
      ...(stepped ? { paths: uPlot.paths.stepped({ align: 1 }) } : {}),
    })),
  ];
  const options = {
    width: Math.max(240, box.clientWidth),
    height,
    series,
    axes: [{}, { label: yLabel, size: 56 }],
    scales: { x: { time: true } },
    cursor: { drag: { x: false, y: false } },
  };
  const empty = [[], ...labels.map(() => [])];
  const plot = new uPlot(options, empty, box);
  const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, box.clientWidth), height }));
  observer.observe(box);
  return {
    setData(data) {
      plot.setData(data);
    },
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
