/**
 * The page script (no framework), sent inline under the response's CSP nonce. It listens to
 * `<mount>/live` with EventSource (which reconnects by itself): `counters` events refresh every
 * element with a matching `data-live` key, `failed` events prepend rows to the
 * `failed-live-list` table body. Rows are built with textContent, never markup from the server.
 * It also asks before submitting a form carrying `data-confirm`.
 */
export const CLIENT_SCRIPT = `(() => {
  const root = document.documentElement;
  const base = root.dataset.base || '';
  const status = document.querySelector('[data-testid="live-status"]');
  const setStatus = (state, text) => { if (status) { status.dataset.state = state; status.textContent = text; } };
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  if (!('EventSource' in window)) return;
  const source = new EventSource(base + '/live');
  source.onopen = () => setStatus('open', 'live');
  source.onerror = () => setStatus('error', 'reconnecting…');
  source.addEventListener('counters', (event) => {
    const { display } = JSON.parse(event.data);
    for (const element of document.querySelectorAll('[data-live]')) {
      const key = element.dataset.live;
      if (Object.prototype.hasOwnProperty.call(display, key)) element.textContent = display[key];
    }
  });
  const csrf = document.querySelector('meta[name="csrf-token"]');
  const cell = (row, text, className) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  };
  const action = (td, name, job, label, testId) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = base + '/actions/' + name;
    form.className = 'action';
    const fields = { _csrf: csrf ? csrf.content : '', back: location.pathname.slice(base.length) + location.search, id: job.id, connection: job.connection };
    for (const [key, value] of Object.entries(fields)) {
      const input = document.createElement('input');
      input.type = 'hidden'; input.name = key; input.value = value;
      form.appendChild(input);
    }
    const button = document.createElement('button');
    button.type = 'submit'; button.textContent = label; button.dataset.testid = testId;
    form.appendChild(button);
    td.appendChild(form);
  };
  source.addEventListener('failed', (event) => {
    const { rows } = JSON.parse(event.data);
    for (const list of document.querySelectorAll('[data-testid="failed-live-list"]')) {
      const empty = list.querySelector('[data-testid="failed-empty"]');
      for (const job of rows.slice().reverse()) {
        if (list.dataset.connection && list.dataset.connection !== job.connection) continue;
        if ([...list.children].some((row) => row.dataset.jobId === job.id)) continue;
        if (empty) empty.remove();
        const row = document.createElement('tr');
        row.dataset.testid = 'failed-row';
        row.dataset.jobId = job.id;
        row.className = 'new';
        cell(row, job.failedAt);
        cell(row, job.listener);
        cell(row, job.error, 'error');
        const link = document.createElement('a');
        link.href = job.href; link.textContent = job.id; link.dataset.testid = 'failed-row-link';
        cell(row, '').appendChild(link);
        const actions = cell(row, '');
        if (list.dataset.actions === 'on') {
          action(actions, 'retry', job, 'Retry', 'retry-button');
          action(actions, 'forget', job, 'Forget', 'forget-button');
        }
        list.prepend(row);
      }
    }
  });
})();`;
