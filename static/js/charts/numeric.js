// Numeric question over time (spec §13.3): JSON {dates, sum, average, stdev, response-rate,
// pollrunUrls, participationUrls, table}. Sums stack as areas (regions add up when split); averages
// and response rates are lines. The filter form's "Numeric display" switches the metric in place
// (static/js/filters.js sends "numeric-mode"). A click on a date opens its poll run (its
// participation tab for response rates), filters kept.
import { baseOptions, colour, done, fetchChartData, loadChartJs, renderTable } from './common.js';

const MODES = ['sum', 'average', 'response-rate'];

/** Chart.js datasets of one metric (pure). */
export function datasets(data, mode) {
  const stacked = mode === 'sum';
  return data[mode].map((series, i) => ({
    label: series.name,
    data: series.data,
    stdev: mode === 'average' ? data.stdev[i]?.data : null,
    borderColor: colour(i),
    backgroundColor: `${colour(i)}${stacked ? '99' : '33'}`,
    fill: stacked ? (i === 0 ? 'origin' : '-1') : false,
    pointRadius: 3,
    pointHoverRadius: 5,
    tension: 0,
  }));
}

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  let mode = MODES.includes(figure.dataset.mode) ? figure.dataset.mode : 'sum';
  const rtl = document.documentElement.dir === 'rtl';
  const options = baseOptions();
  const chart = new Chart(figure.querySelector('canvas'), {
    type: 'line',
    data: { labels: data.dates, datasets: datasets(data, mode) },
    options: {
      ...options,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: {
            label(item) {
              const value = item.formattedValue;
              const stdev = item.dataset.stdev?.[item.dataIndex];
              const suffix = mode === 'response-rate' ? ' %' : '';
              return `${item.dataset.label}: ${value}${suffix}${stdev !== undefined && stdev !== null ? ` (± ${new Intl.NumberFormat(document.documentElement.lang).format(stdev)})` : ''}`;
            },
          },
        },
      },
      scales: {
        x: { reverse: rtl, ticks: { autoSkip: true, maxRotation: 60 } },
        y: { stacked: mode === 'sum', beginAtZero: true, position: rtl ? 'right' : 'left', ...(mode === 'response-rate' && { suggestedMax: 100 }) },
      },
      onClick(_event, elements) {
        const point = elements[0];
        if (!point) return;
        const urls = mode === 'response-rate' ? data.participationUrls : data.pollrunUrls;
        if (urls[point.index]) window.location.assign(urls[point.index]);
      },
    },
  });
  document.addEventListener('numeric-mode', (event) => {
    if (!MODES.includes(event.detail) || event.detail === mode) return;
    mode = event.detail;
    figure.dataset.mode = mode;
    chart.data.datasets = datasets(data, mode);
    chart.options.scales.y.stacked = mode === 'sum';
    chart.options.scales.y.suggestedMax = mode === 'response-rate' ? 100 : undefined;
    chart.update();
  });
  renderTable(figure, data.table);
  done(figure, !data.dates.length);
}
