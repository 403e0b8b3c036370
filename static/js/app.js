// Page behaviour without inline script: confirmation prompts, auto-submitting selects, and charts.
document.addEventListener('submit', (event) => {
  const button = event.submitter;
  const message = button?.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit')) target.form?.requestSubmit();
});

// Each <figure data-chart="kind" data-src="/url"> is drawn by static/js/charts/<kind>.js.
for (const figure of document.querySelectorAll('figure[data-chart]')) {
  const kind = figure.dataset.chart;
  if (!/^[a-z-]+$/.test(kind)) continue;
  import(`/static/js/charts/${kind}.js`)
    .then((module) => module.draw(figure))
    .catch((error) => {
      figure.classList.add('chart-failed');
      console.error(`chart ${kind} failed`, error);
    });
}
