// Multiple-choice question over time (spec §13.4): JSON {dates, series: [{name, data: [{y, url}]}],
// table}. Areas stacked to 100 % per date; the tooltip gives the share and the count. A click on a
// date opens its poll run, filters kept.
import { baseOptions, colour, done, fetchChartData, loadChartJs, renderTable } from './common.js';

/** Per date, each category's share of that date's answers in percent (pure). */
export function shares(series, dates) {
  const totals = dates.map((_, i) => series.reduce((n, s) => n + s.data[i].y, 0));
  return series.map((s) => s.data.map((point, i) => (totals[i] ? (100 * point.y) / totals[i] : 0)));
}

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const rtl = document.documentElement.dir === 'rtl';
  const options = baseOptions();
  const percent = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  const count = new Intl.NumberFormat(document.documentElement.lang);
  const percents = shares(data.series, data.dates);
  new Chart(figure.querySelector('canvas'), {
    type: 'line',
    data: {
      labels: data.dates,
      datasets: data.series.map((s, i) => ({
        label: s.name, data: percents[i], counts: s.data.map((p) => p.y),
        borderColor: colour(i), backgroundColor: `${colour(i)}cc`, fill: i === 0 ? 'origin' : '-1', pointRadius: 3, tension: 0,
      })),
    },
    options: {
      ...options,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: { label: (item) => `${item.dataset.label}: ${percent.format(item.raw)} % (${count.format(item.dataset.counts[item.dataIndex])})` },
        },
      },
      scales: {
        x: { reverse: rtl, ticks: { autoSkip: true, maxRotation: 60 } },
        y: { stacked: true, min: 0, max: 100, position: rtl ? 'right' : 'left', title: { display: true, text: figure.dataset.axis || '%' } },
      },
      onClick(_event, elements) {
        const point = elements[0];
        const url = point && data.series[point.datasetIndex]?.data[point.index]?.url;
        if (url) window.location.assign(url);
      },
    },
  });
  renderTable(figure, data.table);
  done(figure, !data.dates.length);
}
