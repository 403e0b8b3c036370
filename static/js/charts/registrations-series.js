// Registrations per bucket: JSON {labels, datasets, table, stacked?}. The created series draws bars
// with the running total as a line on a right axis (y1); a breakdown stacks one bar series per value.
import { baseOptions, colour, fetchChartData, loadChartJs, renderTable } from './common.js';

/** Shapes the JSON into Chart.js datasets (a pure function). */
export function toChartData(data) {
  return {
    labels: data.labels,
    datasets: data.datasets.map((d, i) => ({ label: d.label, type: d.type, data: d.data, yAxisID: d.yAxisID ?? 'y', ...(data.stacked ? { backgroundColor: colour(i) } : {}) })),
  };
}

/** The axes: stacked bars for a breakdown, and the right axis only when a series uses it. */
export function toScales(data, rtl) {
  const stacked = Boolean(data.stacked);
  const scales = {
    x: { reverse: rtl, stacked },
    y: { beginAtZero: true, position: rtl ? 'right' : 'left', stacked, ticks: { precision: 0 } },
  };
  if (data.datasets.some((d) => d.yAxisID === 'y1')) scales.y1 = { beginAtZero: true, position: rtl ? 'left' : 'right', grid: { drawOnChartArea: false }, ticks: { precision: 0 } };
  return scales;
}

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const rtl = document.documentElement.dir === 'rtl';
  new Chart(figure.querySelector('canvas'), {
    type: 'bar',
    data: toChartData(data),
    options: { ...baseOptions(), scales: toScales(data, rtl) },
  });
  renderTable(figure, data.table);
  figure.dataset.ready = 'true';
}
