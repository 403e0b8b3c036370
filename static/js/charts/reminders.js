// Effect of reminders on a poll run: JSON {total, points: [{hour, complete, share}], markers:
// [{hour, label, text, sentAt}], labels, table}. A line of the share of participants with a complete
// response, hour by hour; each message sent to them is a vertical mark (drawn by a small plugin,
// no annotation library) and a triangle at the top whose tooltip gives the message.
import { baseOptions, colour, done, fetchChartData, loadChartJs, renderTable } from './common.js';

/** The line and marker datasets of the chart (pure). */
export function reminderDatasets(data) {
  return [
    {
      type: 'line',
      label: data.labels.share,
      data: data.points.map((p) => ({ x: p.hour, y: p.share, complete: p.complete })),
      borderColor: colour(1),
      backgroundColor: colour(1),
      // A poll run started within the hour has one point, which shows as a dot.
      pointRadius: data.points.length > 1 ? 0 : 3,
      pointHitRadius: 4,
      borderWidth: 2,
      stepped: 'before',
    },
    {
      type: 'scatter',
      label: data.labels.marker,
      data: data.markers.map((m) => ({ x: m.hour, y: 100, marker: m })),
      borderColor: colour(4),
      backgroundColor: colour(4),
      pointStyle: 'triangle',
      rotation: 180,
      pointRadius: 7,
      pointHoverRadius: 9,
    },
  ];
}

/** Draws a dashed vertical line at each marker's hour, under the data. */
const markerLines = {
  id: 'reminderMarkers',
  beforeDatasetsDraw(chart) {
    const markers = chart.data.datasets[1]?.data ?? [];
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = colour(4);
    ctx.lineWidth = 1.5;
    ctx.setLineDash([5, 4]);
    for (const point of markers) {
      const x = scales.x.getPixelForValue(point.x);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
    }
    ctx.restore();
  },
};

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  const rtl = document.documentElement.dir === 'rtl';
  const options = baseOptions();
  const percent = new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 1 });
  const count = new Intl.NumberFormat(document.documentElement.lang);
  // The series of a young poll run stops at the current hour; a message sent since still shows.
  const hours = Math.max(1, data.points.length - 1, ...data.markers.map((m) => Math.ceil(m.hour)));
  new Chart(figure.querySelector('canvas'), {
    data: { datasets: reminderDatasets(data) },
    plugins: [markerLines],
    options: {
      ...options,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        ...options.plugins,
        tooltip: {
          ...options.plugins.tooltip,
          callbacks: {
            title: (items) => `${data.labels.hours}: ${count.format(items[0]?.raw.x ?? 0)}`,
            label: (item) =>
              item.raw.marker
                ? [`${item.raw.marker.sentAt} — ${item.raw.marker.label}`, item.raw.marker.text]
                : `${item.dataset.label}: ${percent.format(item.raw.y)} % (${count.format(item.raw.complete)} / ${count.format(data.total)})`,
          },
        },
      },
      scales: {
        x: { type: 'linear', min: 0, max: hours, reverse: rtl, ticks: { stepSize: hours > 24 ? 24 : 1 }, title: { display: true, text: data.labels.hours } },
        y: { min: 0, max: 100, position: rtl ? 'right' : 'left', title: { display: true, text: '%' } },
      },
    },
  });
  renderTable(figure, data.table);
  done(figure, data.total === 0);
}
