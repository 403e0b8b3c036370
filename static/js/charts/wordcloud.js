// Open-ended question (spec §13.5): JSON {words: [{text, weight}], table}. A word cloud
// (chartjs-chart-wordcloud) beside the words table, which sorts by either column on a click.
import { baseOptions, colour, done, fetchChartData, loadChartJs, loadScript, renderTable } from './common.js';

/** Font sizes from weights: the most used word is largest (pure). */
export function fontSizes(words, smallest = 12, largest = 48) {
  const max = Math.max(1, ...words.map((w) => w.weight));
  return words.map((w) => Math.round(smallest + ((largest - smallest) * w.weight) / max));
}

/** Lets the table be sorted by a column: numbers by value, text by the page language's collation. */
export function makeSortable(table) {
  const collator = new Intl.Collator(document.documentElement.lang);
  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((th, index) => {
    const button = Object.assign(document.createElement('button'), { type: 'button', className: 'btn btn-link btn-sm p-0 text-reset fw-semibold', textContent: th.textContent });
    th.replaceChildren(button);
    th.setAttribute('aria-sort', 'none');
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      headers.forEach((other) => other.setAttribute('aria-sort', 'none'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const rows = [...table.tBodies[0].rows];
      rows.sort((a, b) => {
        const x = a.cells[index];
        const y = b.cells[index];
        const order = x.dataset.value !== undefined ? Number(x.dataset.value) - Number(y.dataset.value) : collator.compare(x.textContent, y.textContent);
        return ascending ? order : -order;
      });
      table.tBodies[0].append(...rows);
    });
  });
}

export async function draw(figure) {
  const [Chart, data] = await Promise.all([loadChartJs(), fetchChartData(figure)]);
  await loadScript('/static/vendor/chartjs-chart-wordcloud/index.umd.min.js');
  if (data.words.length) {
    const options = baseOptions();
    new Chart(figure.querySelector('canvas'), {
      type: 'wordCloud',
      data: { labels: data.words.map((w) => w.text), datasets: [{ label: '', data: fontSizes(data.words), color: data.words.map((_, i) => colour(i % 6)) }] },
      options: {
        ...options,
        plugins: { ...options.plugins, legend: { display: false }, tooltip: { ...options.plugins.tooltip, callbacks: { label: (item) => `${data.words[item.dataIndex].weight}` } } },
      },
    });
  }
  const table = renderTable(figure, data.table);
  if (table) makeSortable(table);
  done(figure, !data.words.length);
}
