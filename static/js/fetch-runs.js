// The "fetch past runs" page: estimates the period typed in, and follows the fetches under way.

const BADGES = { queued: 'text-bg-secondary', running: 'text-bg-info', done: 'text-bg-success', failed: 'text-bg-danger' };
const REFRESH_MS = 3000;

/** Asks the server what the period in the form would cost, a moment after the last keystroke. */
function followEstimate(form) {
  const box = document.getElementById('fetch-estimate');
  let timer;
  let asked = 0;
  const update = async () => {
    const ask = ++asked;
    const params = new URLSearchParams({ amount: form.elements.amount.value, unit: form.elements.unit.value });
    try {
      const response = await fetch(`${form.dataset.estimateSrc}?${params}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      const body = await response.json();
      if (ask !== asked) return; // a newer question is on its way
      box.textContent = body.text ?? body.error ?? '';
      box.classList.toggle('text-danger', !response.ok);
    } catch {
      if (ask === asked) box.textContent = '';
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  update();
}

function setBar(bar, percent) {
  if (!bar) return;
  bar.setAttribute('aria-valuenow', String(percent));
  const inner = bar.querySelector('.progress-bar');
  inner.style.width = `${percent}%`;
  inner.textContent = `${percent}%`;
}

/** Updates each fetch card from the progress JSON; returns whether any fetch is still under way. */
async function refresh(list) {
  const response = await fetch(list.dataset.fetchProgress, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) return false;
  const { fetches } = await response.json();
  for (const item of fetches) {
    const card = list.querySelector(`[data-fetch-id="${item.id}"]`);
    if (!card) continue;
    const polls = card.querySelector('[data-field="polls"]');
    // A fetch that was queued has listed its polls now: the page draws them.
    if (Number(polls?.dataset.count ?? 0) !== item.polls.length) return window.location.reload();
    card.dataset.active = String(item.active);
    const status = card.querySelector('[data-field="status"]');
    status.textContent = item.statusLabel;
    status.className = `badge ${BADGES[item.status] ?? 'text-bg-secondary'}`;
    setBar(card.querySelector('[data-field="total"]'), item.percent);
    card.querySelector('[data-field="requests"]').textContent = item.requestsText;
    item.polls.forEach((poll, i) => {
      const row = card.querySelector(`[data-poll="${i}"]`);
      row.querySelector('[data-field="summary"]').textContent = poll.summary;
      setBar(row.querySelector('.progress'), poll.percent);
    });
    card.querySelector('[data-field="log"]').textContent = item.log.join('\n');
    if (!item.active) card.querySelector('details').open = true;
  }
  return fetches.some((item) => item.active);
}

const form = document.querySelector('form[data-estimate-src]');
if (form) followEstimate(form);

const list = document.querySelector('[data-fetch-progress]');
if (list?.querySelector('[data-active="true"]')) {
  const tick = async () => {
    let again = true;
    try {
      again = await refresh(list);
    } catch (error) {
      console.error('fetch progress failed', error);
    }
    if (again) setTimeout(tick, REFRESH_MS);
  };
  setTimeout(tick, REFRESH_MS);
}
