/**
 * The console's only script: it keeps the journal live (server-sent events), filters it as you type,
 * ticks the virtual clock, and asks before destructive forms. Every page works without it.
 */

interface LiveEntry {
  readonly seq: number;
  readonly service: string;
  readonly at: string;
  readonly method: string;
  readonly endpoint: string;
  readonly path: string;
  readonly status: number;
  readonly fault: string | null;
  readonly ms?: number;
  readonly detail: string;
}

interface Filter {
  readonly service: string;
  readonly endpoint: string;
  readonly status: string;
}

const MAX_ROWS = 500;

function statusMatches(status: number, wanted: string): boolean {
  if (wanted === '') return true;
  if (/^[0-9]xx$/i.test(wanted)) return Math.floor(status / 100) === Number(wanted[0]);
  return String(status) === wanted;
}

function tone(status: number): string {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'info';
  if (status >= 400 && status < 500 && status !== 499) return 'warn';
  return 'bad';
}

function cell(row: HTMLTableRowElement, text: string, className = ''): HTMLTableCellElement {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function entryRow(entry: LiveEntry, withService: boolean): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.service = entry.service;
  row.dataset.endpoint = entry.endpoint;
  row.dataset.status = String(entry.status);
  const link = document.createElement('a');
  link.href = entry.detail;
  link.textContent = String(entry.seq);
  link.setAttribute('aria-label', `request ${entry.seq} details`);
  cell(row, '', 'num').append(link);
  if (withService) cell(row, entry.service);
  const time = document.createElement('time');
  time.textContent = entry.at.slice(11, 23);
  cell(row, '', 'hide-narrow').append(time);
  cell(row, entry.method);
  cell(row, entry.endpoint);
  cell(row, entry.path, 'mono hide-narrow');
  const badge = document.createElement('span');
  badge.className = `badge ${tone(entry.status)}`;
  badge.textContent = entry.status === 0 ? 'reset' : String(entry.status);
  cell(row, '').append(badge);
  cell(row, entry.fault ?? '');
  cell(row, entry.ms === undefined ? '' : String(entry.ms), 'num hide-narrow');
  return row;
}

function readFilter(form: HTMLFormElement): Filter {
  const data = new FormData(form);
  const value = (name: string) => String(data.get(name) ?? '').trim();
  return { service: value('service'), endpoint: value('endpoint'), status: value('status').toLowerCase() };
}

function rowMatches(row: HTMLTableRowElement, filter: Filter): boolean {
  return (
    (filter.service === '' || row.dataset.service === filter.service) &&
    (filter.endpoint === '' || row.dataset.endpoint === filter.endpoint) &&
    statusMatches(Number(row.dataset.status), filter.status)
  );
}

function liveJournal(): void {
  const table = document.querySelector<HTMLTableElement>('table#journal[data-stream]');
  const form = document.querySelector<HTMLFormElement>('form#journal-filter');
  const status = document.getElementById('live-status');
  const toggle = document.querySelector<HTMLButtonElement>('#live-toggle');
  if (!table || !form || !status) return;
  const body = table.tBodies[0];
  if (!body) return;
  const withService = table.dataset.withService === '1';
  let filter = readFilter(form);
  let paused = false;
  const held: LiveEntry[] = [];

  const describe = (state: string) => {
    const shown = [...body.rows].filter((row) => !row.hidden).length;
    status.textContent = `${shown} shown · ${state}`;
  };
  const applyFilter = () => {
    filter = readFilter(form);
    for (const row of body.rows) row.hidden = !rowMatches(row, filter);
    const url = new URL(window.location.href);
    for (const [key, value] of Object.entries(filter)) {
      if (value) url.searchParams.set(key, value);
      else url.searchParams.delete(key);
    }
    window.history.replaceState(null, '', url);
    describe(paused ? 'paused' : 'live');
  };
  const add = (entry: LiveEntry) => {
    document.getElementById('journal-empty')?.remove();
    const row = entryRow(entry, withService);
    row.hidden = !rowMatches(row, filter);
    row.classList.add('fresh');
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
  };

  form.addEventListener('input', applyFilter);
  form.addEventListener('change', applyFilter);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilter();
  });
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', () => {
      paused = !paused;
      toggle.textContent = paused ? 'Resume' : 'Pause';
      toggle.setAttribute('aria-pressed', String(paused));
      if (!paused) for (const entry of held.splice(0)) add(entry);
      describe(paused ? 'paused' : 'live');
    });
  }

  const source = new EventSource(table.dataset.stream ?? '');
  source.addEventListener('open', () => describe(paused ? 'paused' : 'live'));
  source.addEventListener('error', () => describe('reconnecting…'));
  source.addEventListener('message', (event: MessageEvent<string>) => {
    const entry = JSON.parse(event.data) as LiveEntry;
    if (paused) held.push(entry);
    else add(entry);
    describe(paused ? `paused, ${held.length} waiting` : 'live');
  });
  source.addEventListener('clock', (event: Event) => {
    const { offsetMs } = JSON.parse((event as MessageEvent<string>).data) as { offsetMs: number };
    clockOffset = offsetMs;
  });
}

let clockOffset: number | undefined;

function tickClock(): void {
  const target = document.getElementById('virtual-now');
  if (!target) return;
  const initial = Date.parse(target.getAttribute('datetime') ?? '');
  if (Number.isNaN(initial)) return;
  const baseOffset = initial - Date.now();
  window.setInterval(() => {
    const now = new Date(Date.now() + (clockOffset ?? baseOffset)).toISOString();
    target.textContent = now;
    target.setAttribute('datetime', now);
  }, 1000);
}

function confirmations(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.dataset.confirm ?? 'Sure?')) event.preventDefault();
    });
  }
}

function shortcuts(): void {
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    const typing = Boolean(target?.closest('input, select, textarea'));
    if (event.key === '/' && !typing) {
      const first = document.querySelector<HTMLElement>('#journal-filter select, #journal-filter input');
      if (first) {
        event.preventDefault();
        first.focus();
      }
    } else if (event.key === 'Escape' && typing) target?.blur();
  });
}

liveJournal();
tickClock();
confirmations();
shortcuts();
