// Shared plumbing for chart modules: fetch the figure's JSON, load Chart.js (and plugins) once,
// write the data table under the chart (for screen readers and low bandwidth), colours and clicks.
// Numbers are never abbreviated.

const scripts = new Map();

/** Loads a vendored UMD script once per page (CSP allows same-origin scripts only). */
export function loadScript(src) {
  if (!scripts.has(src)) {
    scripts.set(src, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`${src} did not load`));
      document.head.append(script);
    }));
  }
  return scripts.get(src);
}

/** Loads Chart.js (UMD build served from static/vendor) once per page. */
export async function loadChartJs() {
  if (!window.Chart) await loadScript('/static/vendor/chart.js/chart.umd.min.js');
  return window.Chart;
}

/** Fetches a chart's JSON from its data-src (same origin, same session, same guard as the page). */
export async function fetchChartData(figure) {
  const response = await fetch(figure.dataset.src, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${figure.dataset.src} answered ${response.status}`);
  return response.json();
}

/** Formats numbers in the page's language, in full. */
export const numberFormat = () => new Intl.NumberFormat(document.documentElement.lang, { maximumFractionDigits: 2 });

/** Writes {columns, rows} as a table under the chart; a cell is text, a number or {text, href}. */
export function renderTable(figure, table) {
  const holder = figure.querySelector('.chart-table');
  if (!holder || !table) return null;
  const element = document.createElement('table');
  element.className = 'table table-sm';
  const head = element.createTHead().insertRow();
  // A column of numbers is right-aligned, its heading too, so each heading sits over its figures.
  const numeric = table.columns.map((_, i) => table.rows.some((row) => typeof row[i] === 'number'));
  table.columns.forEach((column, i) => head.append(Object.assign(document.createElement('th'), { textContent: column, scope: 'col', className: numeric[i] ? 'text-end' : '' })));
  const body = element.createTBody();
  const format = numberFormat();
  for (const row of table.rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      const td = tr.insertCell();
      if (typeof cell === 'number') {
        td.textContent = format.format(cell);
        td.className = 'text-end';
        td.dataset.value = String(cell);
      } else if (cell && typeof cell === 'object') {
        td.append(Object.assign(document.createElement('a'), { href: cell.href, textContent: cell.text }));
      } else {
        td.textContent = cell;
      }
    }
  }
  holder.replaceChildren(element);
  return element;
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

/** The map palette of spec §13.7, reused for chart series. */
export const PALETTE = ['#006837', '#1F49BF', '#762a83', '#A7082C', '#FF8200', '#FFD100', '#94D192', '#92c5de', '#c2a5cf', '#F2A2B3', '#f7cca0', '#FFFFBF'];

/** The colour of the i-th series or bar. */
export function colour(i) {
  return PALETTE[i % PALETTE.length];
}

/** Marks a figure drawn (browser tests wait for it); an empty chart says so instead. */
export function done(figure, empty = false) {
  if (empty) {
    const note = document.createElement('p');
    note.className = 'text-body-secondary small mb-0';
    note.textContent = figure.dataset.empty || '—';
    figure.querySelector('.chart-canvas, .map-canvas')?.replaceWith(note);
  }
  figure.dataset.ready = 'true';
}
