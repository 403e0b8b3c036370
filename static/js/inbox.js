// Forms marked data-send-once (an inbox reply, a message to participants) send once: the submit
// button is disabled as the form goes, so a double click does not send the message twice.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-send-once')) return;
  if (form.dataset.sending === 'true') {
    event.preventDefault();
    return;
  }
  // A confirmation prompt (static/js/app.js) that was declined leaves the form as it was.
  if (event.defaultPrevented) return;
  form.dataset.sending = 'true';
  for (const button of form.querySelectorAll('button[type=submit]')) {
    button.disabled = true;
    if (button.dataset.sendingLabel) {
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.sendingLabel;
    }
  }
});

// A page restored from the back/forward cache may send again.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll('form[data-send-once][data-sending=true]')) {
    delete form.dataset.sending;
    for (const button of form.querySelectorAll('button[type=submit]')) {
      button.disabled = false;
      if (button.dataset.label) button.textContent = button.dataset.label;
    }
  }
});
