// Shared plumbing for chart modules: fetch the figure's JSON, load Chart.js once, and write the
// data table under the chart (for screen readers and low bandwidth). Numbers are never abbreviated.

let chartLibrary;

/** Loads Chart.js (UMD build served from static/vendor) once per page. */
export function loadChartJs() {
  chartLibrary ??= new Promise((resolve, reject) => {
    if (window.Chart) return resolve(window.Chart);
    const script = document.createElement('script');
    script.src = '/static/vendor/chart.js/chart.umd.min.js';
    script.onload = () => resolve(window.Chart);
    script.onerror = () => reject(new Error('Chart.js did not load'));
    document.head.append(script);
  });
  return chartLibrary;
}

/** Fetches a chart's JSON from its data-src (same origin, same session, same guard as the page). */
export async function fetchChartData(figure) {
  const response = await fetch(figure.dataset.src, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${figure.dataset.src} answered ${response.status}`);
  return response.json();
}

/** Writes {columns, rows} as a table under the chart. */
export function renderTable(figure, table) {
  const holder = figure.querySelector('.chart-table');
  if (!holder || !table) return;
  const element = document.createElement('table');
  element.className = 'table table-sm';
  const head = element.createTHead().insertRow();
  for (const column of table.columns) head.append(Object.assign(document.createElement('th'), { textContent: column }));
  const body = element.createTBody();
  const format = new Intl.NumberFormat(document.documentElement.lang);
  for (const row of table.rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = typeof cell === 'number' ? format.format(cell) : cell;
  }
  holder.replaceChildren(element);
}

/** Options every chart shares: right-to-left legends and tooltips follow the page direction. */
export function baseOptions() {
  const rtl = document.documentElement.dir === 'rtl';
  return {
    responsive: true,
    maintainAspectRatio: false,
    locale: document.documentElement.lang,
    plugins: { legend: { rtl, position: 'bottom' }, tooltip: { rtl } },
  };
}
