// Doughnut chart of labelled counts: JSON {labels, values, table}.
import { baseOptions, fetchChartData, loadChartJs, renderTable } from './common.js';

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const canvas = figure.querySelector('canvas');
  new Chart(canvas, {
    type: 'doughnut',
    data: { labels: data.labels, datasets: [{ data: data.values }] },
    options: baseOptions(),
  });
  renderTable(figure, data.table);
  figure.dataset.ready = 'true';
}
