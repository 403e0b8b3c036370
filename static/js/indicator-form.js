// Indicator pages without inline script: the question select follows the chosen poll (loaded from
// /api/polls/:id/questions), the date inputs show only for a custom range, empty filters stay out
// of the URL, and a long-running form cannot be submitted twice.

async function loadQuestions(pollSelect) {
  const target = document.getElementById(pollSelect.dataset.pollQuestions);
  const field = target?.closest('[data-question-field]');
  if (!target || !field) return;
  const keep = target.value;
  target.replaceChildren(new Option('—', ''));
  field.hidden = !pollSelect.value;
  if (!pollSelect.value) return;
  try {
    const response = await fetch(`/api/polls/${encodeURIComponent(pollSelect.value)}/questions`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const { results } = await response.json();
    for (const question of results) target.append(new Option(question.name, String(question.id), false, String(question.id) === keep));
  } catch {
    // The server checks the question on submit anyway.
  }
}

for (const select of document.querySelectorAll('select[data-poll-questions]')) {
  select.addEventListener('change', () => loadQuestions(select));
}

function showCustomDates(rangeSelect) {
  const custom = rangeSelect.value === 'custom';
  for (const box of rangeSelect.form.querySelectorAll('[data-custom-date]')) box.hidden = !custom;
}

for (const select of document.querySelectorAll('select[data-date-range]')) {
  showCustomDates(select);
  select.addEventListener('change', () => showCustomDates(select));
  select.form.addEventListener('submit', () => {
    const custom = select.value === 'custom';
    for (const input of select.form.querySelectorAll('input, select')) {
      const dateOfOtherRange = !custom && input.closest('[data-custom-date]');
      if (input.name && (input.value === '' || dateOfOtherRange)) input.disabled = true;
    }
  });
}

for (const form of document.querySelectorAll('form[data-disable-on-submit]')) {
  form.addEventListener('submit', (event) => {
    if (event.defaultPrevented) return;
    for (const button of form.querySelectorAll('button[type=submit]')) button.disabled = true;
  });
}
