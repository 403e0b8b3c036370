// A pie of answers per category (spec D7: a poll run's multiple-choice questions): JSON
// {categories, data, table}; the tooltip gives the count and the share.
import { baseOptions, colour, done, fetchChartData, loadChartJs, renderTable } from './common.js';

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const options = baseOptions();
  const total = data.data.reduce((n, v) => n + v, 0);
  const percent = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  const count = new Intl.NumberFormat(document.documentElement.lang);
  if (total) {
    new Chart(figure.querySelector('canvas'), {
      type: 'pie',
      data: { labels: data.categories, datasets: [{ data: data.data, backgroundColor: data.data.map((_, i) => colour(i)) }] },
      options: {
        ...options,
        plugins: {
          ...options.plugins,
          tooltip: { ...options.plugins.tooltip, callbacks: { label: (item) => `${item.label}: ${count.format(item.raw)} (${percent.format((100 * item.raw) / total)} %)` } },
        },
      },
    });
  }
  renderTable(figure, data.table);
  done(figure, !total);
}
