// Horizontal bars of counts (spec §13.6): JSON {categories, data, table}: a numeric question's
// histogram, or answers per category. One series, one colour per bar, whole-number ticks.
import { baseOptions, colour, done, fetchChartData, loadChartJs, renderTable } from './common.js';

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const rtl = document.documentElement.dir === 'rtl';
  const options = baseOptions();
  if (data.categories.length) {
    new Chart(figure.querySelector('canvas'), {
      type: 'bar',
      data: { labels: data.categories, datasets: [{ label: data.table.columns[1], data: data.data, backgroundColor: data.data.map((_, i) => colour(i)) }] },
      options: {
        ...options,
        indexAxis: 'y',
        plugins: { ...options.plugins, legend: { display: false } },
        scales: {
          x: { beginAtZero: true, reverse: rtl, ticks: { precision: 0 } },
          y: { position: rtl ? 'right' : 'left' },
        },
      },
    });
  }
  renderTable(figure, data.table);
  done(figure, !data.categories.length);
}
