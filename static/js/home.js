// Home page: every <table data-refresh="/api/..."> is redrawn from its JSON every 5 seconds
// (spec §17.2), with the same markup as the server renders. Paused while the tab is hidden.

const REFRESH_MS = 5000;
const language = document.documentElement.lang;
const numbers = new Intl.NumberFormat(language);

function cell(content, className = '') {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(content);
  return td;
}

function link(href, text) {
  return Object.assign(document.createElement('a'), { href, textContent: text });
}

/** A row of the "Most recent poll runs" table from one §18.1 object. */
function pollRunRow(table, run) {
  const date = new Intl.DateTimeFormat(language, { timeZone: table.dataset.timeZone, year: 'numeric', month: 'short', day: '2-digit' });
  const { E, P, C } = run.responses;
  const responses = numbers.format(C) + (P ? ` (${numbers.format(P)})` : '');
  const tr = document.createElement('tr');
  tr.append(
    cell(link(`/pollruns/${run.id}`, date.format(new Date(run.conductedOn))), 'text-nowrap'),
    cell(link(`/polls/${run.poll.id}`, run.poll.name)),
    cell(run.region ? run.region.name : table.dataset.all),
    cell(link(`/pollruns/${run.id}/participation`, numbers.format(E + P + C)), 'text-end'),
    cell(link(`/pollruns/${run.id}/responses`, responses), 'text-end text-nowrap'),
  );
  return tr;
}

/** A row of a most-active table from one §18.2 entry. */
function activeRow(_table, entry) {
  const tr = document.createElement('tr');
  tr.append(cell(entry.name), cell(numbers.format(entry.responseCount), 'text-end'));
  return tr;
}

const ROWS = { 'poll-runs': pollRunRow, active: activeRow };

function emptyRow(table) {
  const td = cell(table.dataset.empty, 'text-body-secondary');
  td.colSpan = table.tHead.rows[0].cells.length;
  const tr = document.createElement('tr');
  tr.append(td);
  return tr;
}

async function refresh(table) {
  const response = await fetch(table.dataset.refresh, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  // A signed-out session is redirected to the sign-in page: keep the last figures rather than fail.
  if (!response.ok || !response.headers.get('content-type')?.includes('json')) return;
  const { results } = await response.json();
  const toRow = ROWS[table.dataset.rows];
  table.tBodies[0].replaceChildren(...(results.length ? results.map((item) => toRow(table, item)) : [emptyRow(table)]));
  table.dataset.refreshed = String(Date.now());
}

const tables = [...document.querySelectorAll('table[data-refresh]')].filter((t) => t.dataset.rows in ROWS);
if (tables.length) {
  setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    for (const table of tables) refresh(table).catch((error) => console.error(`refresh of ${table.dataset.refresh} failed`, error));
  }, REFRESH_MS);
}
