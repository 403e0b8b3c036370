// The export page: follows a CSV export built in the background and shows its link once ready.

const REFRESH_MS = 1500;
const BADGES = { queued: 'text-bg-info', running: 'text-bg-info', done: 'text-bg-success', failed: 'text-bg-danger' };

/** Draws the export's state from its progress JSON. */
function show(card, item) {
  const field = (name) => card.querySelector(`[data-field="${name}"]`);
  const status = field('status');
  status.textContent = item.statusLabel;
  status.className = `badge ${BADGES[item.status] ?? 'text-bg-secondary'}`;
  field('rows').textContent = item.rowsText;
  const bar = field('bar');
  bar.setAttribute('aria-valuenow', String(item.percent));
  const inner = bar.querySelector('.progress-bar');
  inner.style.width = `${item.percent}%`;
  inner.textContent = `${item.percent}%`;
  field('download').classList.toggle('d-none', !item.done);
  const error = field('error');
  error.classList.toggle('d-none', !item.failed);
  if (item.error) error.textContent = item.error;
  card.dataset.status = item.status;
}

/** Asks for the progress until the export is done or failed. */
async function follow(card) {
  if (card.dataset.status === 'done' || card.dataset.status === 'failed') return;
  try {
    const response = await fetch(card.dataset.exportProgress, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.status === 410) return window.location.reload();
    if (response.ok) show(card, await response.json());
  } catch {
    // A dropped request is retried on the next tick.
  }
  if (card.dataset.status !== 'done' && card.dataset.status !== 'failed') setTimeout(() => follow(card), REFRESH_MS);
}

for (const card of document.querySelectorAll('[data-export-progress]')) follow(card);
