// The Registrations page: "Refresh every minute" reloads the page (the box is kept in the URL, so a
// reload keeps refreshing); changing the box applies the filters at once.
const REFRESH_MS = 60_000;
const box = document.querySelector('input[data-auto-refresh]');

if (box) {
  box.addEventListener('change', () => box.form?.requestSubmit());
  // Not while the reader is filling in a form (the recompute dialog, the filters).
  if (box.checked) setTimeout(function reload() {
    if (document.activeElement?.closest('form') && document.activeElement !== box) return setTimeout(reload, REFRESH_MS);
    window.location.reload();
  }, REFRESH_MS);
}

// Recomputations and reconciliations under way: their progress is followed until they end.
const JOB_REFRESH_MS = 2000;

async function follow(row) {
  try {
    const response = await fetch(row.dataset.jobProgress, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (response.ok) {
      const job = await response.json();
      row.querySelector('progress').value = job.progress;
      row.querySelector('[data-field="status"]').textContent = job.status;
      if (job.status !== 'queued' && job.status !== 'running') return;
    }
  } catch {
    // A dropped request is retried on the next tick.
  }
  setTimeout(() => follow(row), JOB_REFRESH_MS);
}

for (const row of document.querySelectorAll('tr[data-job-progress]')) follow(row);
