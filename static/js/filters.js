// Chart filter forms (views/partials/chartFilters.njk): the date inputs show only for a custom
// range; empty inputs stay out of the query string; "Numeric display" switches the numeric charts
// at once (static/js/charts/numeric.js) and keeps the choice in the URL.
for (const form of document.querySelectorAll('form[data-chart-filters]')) {
  const range = form.querySelector('[data-date-range]');
  const dates = form.querySelector('[data-custom-dates]');
  const custom = () => range?.value === 'custom';
  const showDates = () => {
    if (dates) dates.hidden = !custom();
  };
  range?.addEventListener('change', showDates);
  showDates();

  form.addEventListener('submit', () => {
    for (const input of form.querySelectorAll('input, select')) {
      const unused = input.value === '' || (input.type === 'date' && !custom()) || (input.name === 'dateRange' && input.value === 'month') || (input.name === 'numeric' && input.value === 'sum');
      if (unused && input.name) input.disabled = true;
    }
    // The page may come back from the cache: re-enable the inputs then.
    window.addEventListener('pageshow', () => form.querySelectorAll('[disabled]').forEach((input) => { input.disabled = false; }), { once: true });
  });

  form.querySelector('[data-numeric-mode]')?.addEventListener('change', (event) => {
    const mode = event.target.value;
    document.dispatchEvent(new CustomEvent('numeric-mode', { detail: mode }));
    for (const label of document.querySelectorAll('[data-numeric-label]')) {
      label.textContent = label.dataset[mode === 'response-rate' ? 'responseRate' : mode] ?? label.textContent;
    }
    const url = new URL(window.location.href);
    if (mode === 'sum') url.searchParams.delete('numeric');
    else url.searchParams.set('numeric', mode);
    window.history.replaceState(null, '', url);
  });
}
