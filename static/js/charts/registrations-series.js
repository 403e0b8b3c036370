// Registrations per bucket (bars) with the running total (line, right axis): JSON {labels, datasets, table}.
import { baseOptions, fetchChartData, loadChartJs, renderTable } from './common.js';

/** Shapes the JSON into Chart.js datasets (a pure function). */
export function toChartData(data) {
  return {
    labels: data.labels,
    datasets: data.datasets.map((d) => ({ label: d.label, type: d.type, data: d.data, yAxisID: d.yAxisID ?? 'y' })),
  };
}

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const rtl = document.documentElement.dir === 'rtl';
  new Chart(figure.querySelector('canvas'), {
    type: 'bar',
    data: toChartData(data),
    options: {
      ...baseOptions(),
      scales: {
        x: { reverse: rtl },
        y: { beginAtZero: true, position: rtl ? 'right' : 'left' },
        y1: { beginAtZero: true, position: rtl ? 'left' : 'right', grid: { drawOnChartArea: false } },
      },
    },
  });
  renderTable(figure, data.table);
  figure.dataset.ready = 'true';
}
