// Indicator chart (spec §14.5): JSON {title, subtitle, yAxisTitle, categories, series, urls, table}
// or null. The baseline is a flat area, the follow-up sums an area in front of it; split by region,
// each region's sums stack up to the follow-up total, drawn as a line over them. Clicking a
// follow-up point opens its poll run.
import { baseOptions, colour, done, fetchChartData, loadChartJs, renderTable } from './common.js';

const BASELINE_COLOUR = '#94a3b8';
const FOLLOW_UP_COLOUR = '#1F49BF';

/** Chart.js datasets from the JSON series: each kind in its own stack, so only regions stack. */
export function datasets(series) {
  const split = series.some((s) => s.kind === 'region');
  let region = 0;
  return series.map((s) => {
    if (s.kind === 'baseline') {
      return { label: s.name, data: s.data, stack: 'baseline', borderColor: BASELINE_COLOUR, backgroundColor: `${BASELINE_COLOUR}55`, borderDash: [6, 4], fill: 'origin', pointRadius: 0, order: 3 };
    }
    if (s.kind === 'followUp') {
      return { label: s.name, data: s.data, stack: 'followUp', borderColor: FOLLOW_UP_COLOUR, backgroundColor: `${FOLLOW_UP_COLOUR}66`, fill: split ? false : 'origin', pointRadius: 3, order: 1 };
    }
    // The palette's second colour is the follow-up's blue: regions skip it.
    const fill = colour(region === 0 ? 0 : region + 1);
    const first = region === 0;
    region += 1;
    return { label: s.name, data: s.data, stack: 'regions', borderColor: fill, backgroundColor: `${fill}88`, fill: first ? 'origin' : '-1', pointRadius: 2, order: 2 };
  });
}

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  // No follow-up poll run for this reader's filters: the figure says so instead of an empty canvas.
  if (!data) return done(figure, true);
  const options = baseOptions();
  const rtl = document.documentElement.dir === 'rtl';
  new Chart(figure.querySelector('canvas'), {
    type: 'line',
    data: { labels: data.categories, datasets: datasets(data.series) },
    options: {
      ...options,
      interaction: { mode: 'index', intersect: false },
      plugins: { ...options.plugins, title: { display: Boolean(data.subtitle), text: data.subtitle } },
      scales: {
        // 'inner' keeps the first and last dates inside the canvas, whichever way the axis runs.
        x: { reverse: rtl, ticks: { autoSkip: true, maxRotation: 60, align: 'inner' } },
        y: { stacked: true, beginAtZero: true, position: rtl ? 'right' : 'left', title: { display: Boolean(data.yAxisTitle), text: data.yAxisTitle } },
      },
      onClick(_event, elements) {
        const followUp = elements.find((e) => data.series[e.datasetIndex]?.kind !== 'baseline');
        const url = followUp ? data.urls[followUp.index] : null;
        if (url) window.location.assign(url);
      },
    },
  });
  renderTable(figure, data.table);
  done(figure);
}
