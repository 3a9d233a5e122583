// Tributary console: a client of the public API (/api/v1), nothing else. No framework, no build step.
// Every value from the API goes into the page as text (textContent, attributes), never as markup.
'use strict';

(() => {
  const KEY_STORE = 'tributary.console.apiKey';
  // colour-blind safe colours, and a dash pattern each, so series apart by more than colour (and equal ones) show
  const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#6a3d9a', '#e69f00', '#56b4e9', '#000000'];
  const DASHES = [null, '8 4', '2 3', '10 3 2 3', '4 4', '12 4', '1 3', '6 2 2 2'];

  const state = {
    key: sessionStorage.getItem(KEY_STORE),
    config: { keyRequired: true },
    scopes: [],
    sources: [],
    view: null,
    timer: null,
    list: { query: '', cursors: [], cursor: null },
    runs: { cursors: [], cursor: null },
    rejects: { connection: null, cursor: null },
    threads: { query: '', cursors: [], cursor: null },
    thread: { connection: null, id: null, cursor: null },
    people: { cursors: [], cursor: null },
    person: { id: null, cursor: null },
    detail: { id: null, opener: null },
  };

  // ---------- small helpers ----------

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value == null || value === false) continue;
      if (name === 'class') element.className = value;
      else if (name === 'text') element.textContent = value;
      else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    append(element, children);
    return element;
  }

  function append(element, children) {
    for (const child of children.flat(Infinity)) {
      if (child == null || child === false) continue;
      element.append(child instanceof Node ? child : String(child));
    }
    return element;
  }

  function svg(tag, attributes, ...children) {
    const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value == null) continue;
      if (name === 'text') element.textContent = value;
      else element.setAttribute(name, String(value));
    }
    for (const child of children.flat(Infinity)) if (child) element.append(child);
    return element;
  }

  function fill(tbody, rows, columns, emptyText) {
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.focus : null;
    tbody.replaceChildren(...(rows.length ? rows
      : [h('tr', null, h('td', { colspan: columns, class: 'empty', text: emptyText }))]));
    if (focused) {
      const again = $$('[data-focus]', tbody).find((element) => element.dataset.focus === focused);
      if (again) again.focus();
    }
  }

  const numberFormat = new Intl.NumberFormat();
  const num = (value) => (value == null ? '—' : numberFormat.format(value));
  const rating = (value) => (value == null ? '—' : value.toFixed(2));

  function when(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  }

  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  /** A compact local time for table cells: 2 Mar 2026 09:00. */
  function stamp(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  function duration(seconds) {
    if (seconds == null) return '—';
    const s = Math.round(seconds);
    if (s < 90) return `${s} s`;
    if (s < 90 * 60) return `${Math.round(s / 60)} min`;
    if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
    return `${Math.round(s / 86400)} d`;
  }

  function ago(iso) {
    if (!iso) return '—';
    return `${duration((Date.now() - new Date(iso).getTime()) / 1000)} ago`;
  }

  function clip(text, length) {
    if (text == null) return '';
    return text.length > length ? `${text.slice(0, length - 1)}…` : text;
  }

  function badge(value, label) {
    return h('span', { class: `badge ${value || ''}`, text: label || (value || '').replace('_', ' ') });
  }

  function tokens(usage) {
    if (!usage || (usage.inputTokens == null && usage.outputTokens == null)) return '—';
    return `${num(usage.inputTokens)} / ${num(usage.outputTokens)}`;
  }

  function say(text) {
    $('#status').textContent = text;
  }

  function fail(text) {
    const alert = $('#alert');
    alert.textContent = text;
    alert.hidden = !text;
  }

  // ---------- the API ----------

  class ApiError extends Error {
    constructor(status, problem, retryAfter) {
      const detail = problem && (problem.detail || problem.title);
      super(detail ? `${problem.title || 'Error'}: ${problem.detail || ''}`.trim() : `The gateway answered ${status}`);
      this.status = status;
      this.problem = problem;
      this.retryAfter = retryAfter;
    }
  }

  async function call(path, { method = 'GET', params, accept = 'application/json' } = {}) {
    const query = params ? params.toString() : '';
    const headers = { Accept: accept };
    if (state.key) headers['X-API-Key'] = state.key;
    const response = await fetch(query ? `${path}?${query}` : path, { method, headers });
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (ignored) {
        // not a problem document
      }
      const error = new ApiError(response.status, problem, response.headers.get('Retry-After'));
      if (response.status === 401 && state.config.keyRequired) {
        signOut('The gateway refused this key (401). Enter a valid API key.');
      }
      throw error;
    }
    return accept === 'application/json' ? response.json() : response;
  }

  function report(error) {
    if (error instanceof ApiError) {
      if (error.status === 401) return;
      const retry = error.retryAfter ? ` Retry in ${error.retryAfter} s.` : '';
      fail(`${error.message}${retry}`);
    }
    else {
      fail(`The gateway could not be reached: ${error.message}`);
    }
  }

  /** Runs an action and reports its failure in the alert region. */
  async function guarded(action) {
    try {
      await action();
    }
    catch (error) {
      report(error);
    }
  }

  // ---------- the key ----------

  function showLogin(message) {
    stopTimer();
    closeDetail();
    $('#nav').hidden = true;
    $('#who').hidden = true;
    showView('login');
    const error = $('#login-error');
    error.textContent = message || '';
    error.hidden = !message;
    const input = $('#api-key');
    const demo = state.config.demoKey;
    const note = $('#demo-note');
    if (demo) {
      note.replaceChildren('Demo profile: the documented demo key ', h('code', { text: demo }),
        ` (scopes ${state.config.demoKeyScopes.join(' and ')}) is filled in. Never use it outside the demo.`);
      note.hidden = false;
      if (!input.value) input.value = demo;
    }
    input.focus();
  }

  function signOut(message) {
    state.key = null;
    state.scopes = [];
    sessionStorage.removeItem(KEY_STORE);
    showLogin(message);
  }

  async function signIn(key) {
    state.key = key || null;
    try {
      state.sources = await call('api/v1/sources');
    }
    catch (error) {
      if (error instanceof ApiError && error.status === 401) return false;
      state.key = null;
      throw error;
    }
    if (state.key) sessionStorage.setItem(KEY_STORE, state.key);
    state.scopes = ['read'];
    if (await canOperate()) state.scopes.push('operate');
    $('#key-state').textContent = state.key ? `Key with scope ${state.scopes.join(' and ')}` : 'No key needed';
    $('#who').hidden = false;
    $('#change-key').hidden = !state.config.keyRequired;
    $('#nav').hidden = false;
    fillSourceChoices();
    return true;
  }

  /**
   * Whether the key may start runs: a sync with a mode no run has starts nothing and answers 400 (the mode) to a
   * key with scope operate, 403 to any other.
   */
  async function canOperate() {
    const first = state.sources[0];
    if (!first) return false;
    try {
      await call(`api/v1/sources/${encodeURIComponent(first.connection)}/sync`,
        { method: 'POST', params: new URLSearchParams({ mode: 'scope-check' }) });
      return true;
    }
    catch (error) {
      return error instanceof ApiError && error.status === 400 && !!error.problem && error.problem.parameter === 'mode';
    }
  }

  const operate = () => state.scopes.includes('operate');

  // ---------- views and routing ----------

  function showView(name) {
    for (const view of $$('.view')) view.hidden = view.id !== `view-${name}`;
    const section = { thread: 'threads', person: 'people', interaction: 'interactions' }[name] || name;
    for (const link of $$('#nav a')) {
      if (link.dataset.view === section) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    state.view = name;
  }

  function stopTimer() {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
  }

  function every(milliseconds, action) {
    stopTimer();
    state.timer = setTimeout(async () => {
      state.timer = null;
      if (document.visibilityState === 'visible') await guarded(action);
      else every(milliseconds, action);
    }, milliseconds);
  }

  function route() {
    if (state.config.keyRequired && !state.key) {
      showLogin();
      return;
    }
    stopTimer();
    fail('');
    closeDetail(false);
    const hash = location.hash.replace(/^#\/?/, '');
    const cut = hash.indexOf('?');
    const path = cut < 0 ? hash : hash.slice(0, cut);
    const query = cut < 0 ? '' : hash.slice(cut + 1);
    let parts;
    try {
      parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    }
    catch (malformed) {
      parts = [];
    }
    const titles = { connections: 'Connections', interactions: 'Interactions', interaction: 'Interaction',
      threads: 'Threads', thread: 'Thread', people: 'People', person: 'Person', charts: 'Charts' };
    let view = parts[0] || 'connections';
    if (view === 'threads' && parts.length >= 3) view = 'thread';
    if (view === 'people' && parts.length >= 2) view = 'person';
    if (!titles[view]) view = 'connections';
    document.title = `${titles[view]} · Tributary console`;
    const shown = {
      connections: () => showConnections(),
      interactions: () => showInteractions(query),
      interaction: () => showInteractions(state.list.query).then(() => openDetail(parts[1], null)),
      threads: () => showThreads(query),
      thread: () => showThread(parts[1], parts.slice(2).join('/')),
      people: () => showPeople(),
      person: () => showPerson(parts.slice(1).join('/')),
      charts: () => showCharts(),
    }[view];
    showView(view === 'interaction' ? 'interactions' : view);
    guarded(shown);
  }

  function fillSourceChoices() {
    const kinds = [...new Set(state.sources.map((source) => source.type))].sort();
    const names = state.sources.map((source) => source.connection);
    $('#filter-sources').replaceChildren(...kinds.map((kind) => h('label', null,
      h('input', { type: 'checkbox', name: 'source', value: kind }), ` ${kind}`)));
    for (const select of [$('#f-connection'), $('#t-connection')]) {
      select.replaceChildren(h('option', { value: '', text: 'any' }),
        ...names.map((name) => h('option', { value: name, text: name })));
    }
    $('#t-source').replaceChildren(h('option', { value: '', text: 'any' }),
      ...kinds.map((kind) => h('option', { value: kind, text: kind })));
  }

  // ---------- connections ----------

  async function showConnections() {
    const runParams = new URLSearchParams({ limit: '15' });
    if (state.runs.cursor) runParams.set('cursor', state.runs.cursor);
    const [sources, runs] = await Promise.all([call('api/v1/sources'), call('api/v1/sync-runs', { params: runParams })]);
    state.sources = sources;
    fill($('#sources-table tbody'), sources.map(sourceRow), 8, 'No connection is configured.');
    fill($('#runs-table tbody'), runs.items.map(runRow), 13, 'No run yet.');
    $('#runs-newest').disabled = !state.runs.cursor;
    $('#runs-older').disabled = !runs.page.hasNext;
    $('#runs-older').dataset.next = runs.page.nextCursor || '';
    const running = sources.some((source) => source.running) || runs.items.some((run) => run.outcome === 'running');
    if (state.view === 'connections') every(running ? 1500 : 5000, showConnections);
  }

  function sourceRow(source) {
    const run = source.lastRun;
    const name = source.connection;
    const health = [badge(source.health)];
    if (source.stale) health.push(' ', badge('stale', 'stale'));
    if (source.pass && source.pass.state === 'backing-off') {
      health.push(h('span', { class: 'sub', text: `full pass backing off until ${when(source.pass.nextAttemptAt)}` }));
    }
    else if (source.pass && source.pass.state === 'in-progress') {
      health.push(h('span', { class: 'sub', text: `full pass in progress (${source.pass.runs} runs)` }));
    }
    const actions = [h('button', { type: 'button', class: 'quiet', 'data-focus': `rejects-${name}`,
      'aria-label': `Rejects of ${name}`, onclick: () => guarded(() => showRejects(name, null)) }, 'Rejects')];
    if (operate()) {
      actions.push(h('button', { type: 'button', 'data-focus': `sync-${name}`, 'aria-label': `Sync ${name} now`,
        onclick: () => guarded(() => start(`api/v1/sources/${encodeURIComponent(name)}/sync`, new URLSearchParams())) },
      'Sync now'));
      actions.push(h('button', { type: 'button', class: 'quiet', 'data-focus': `renormalize-${name}`,
        'aria-label': `Renormalize ${name}`,
        onclick: () => guarded(() => start('api/v1/admin/renormalize', new URLSearchParams({ connection: name }))) },
      'Renormalize'));
    }
    return h('tr', { 'data-connection': name },
      h('th', { scope: 'row' }, name, h('span', { class: 'sub', text: source.type }),
        h('span', { class: 'sub', text: source.enabled ? `every ${isoDuration(source.pollInterval)}` : 'disabled' })),
      h('td', { class: 'health' }, health),
      h('td', { class: 'lag', text: duration(source.lagSeconds) }),
      h('td', null, run ? [h('span', null, `#${run.id} ${run.mode} `), badge(run.outcome),
        h('span', { class: 'sub', text: run.finishedAt ? `ended ${ago(run.finishedAt)}` : `started ${ago(run.startedAt)}` }),
        h('span', { class: 'sub', text: `${num(run.fetched)} listed, ${num(run.inserted)} new, ${num(run.updated)} updated` })]
        : 'none yet'),
      h('td', { class: 'progress' }, progressOf(run)),
      h('td', { class: 'num', text: num(source.interactions) }),
      h('td', { class: 'error-text', text: source.lastError || '' }),
      h('td', { class: 'actions' }, actions));
  }

  function isoDuration(iso) {
    const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso || '');
    if (!match) return iso || '—';
    return duration((+(match[1] || 0)) * 3600 + (+(match[2] || 0)) * 60 + (+(match[3] || 0)));
  }

  function progressOf(run) {
    if (!run || run.outcome !== 'running' || !run.progress) return '';
    const p = run.progress;
    const parts = [];
    if (p.percent != null) {
      parts.push(h('progress', { max: '100', value: String(p.percent), 'aria-label': `Run ${run.id}: ${p.percent}%` }));
      parts.push(` ${p.percent.toFixed(0)}%`);
    }
    const rate = p.itemsPerSecond != null ? `, ${p.itemsPerSecond.toFixed(1)}/s` : '';
    const of = p.expectedItems != null ? ` of ${num(p.expectedItems)}` : '';
    parts.push(h('span', { class: 'sub', text: `${num(p.pages)} pages, ${num(p.items)}${of} items${rate}` }));
    if (p.etaSeconds != null) parts.push(h('span', { class: 'sub', text: `about ${duration(p.etaSeconds)} left` }));
    return parts;
  }

  function runRow(run) {
    const took = run.finishedAt ? (new Date(run.finishedAt) - new Date(run.startedAt)) / 1000 : null;
    const notes = [run.error, run.warning, run.resumedFrom ? `resumed run #${run.resumedFrom}` : null]
      .filter(Boolean).join(' · ');
    return h('tr', { 'data-run': run.id },
      h('td', { text: `#${run.id}` }),
      h('td', { text: run.connection }),
      h('td', { text: run.mode }),
      h('td', null, badge(run.outcome)),
      h('td', { class: 'nowrap', text: stamp(run.startedAt) }),
      h('td', null, took != null ? (took < 1 ? `${Math.round(took * 1000)} ms` : duration(took)) : progressOf(run)),
      h('td', { class: 'num', text: num(run.pages) }),
      h('td', { class: 'num', text: num(run.fetched) }),
      h('td', { class: 'num', text: num(run.inserted) }),
      h('td', { class: 'num', text: num(run.updated) }),
      h('td', { class: 'num', text: num(run.rejected) }),
      h('td', { class: 'num', text: num(run.deleted) }),
      h('td', { class: run.error ? 'error-text' : '', text: notes }));
  }

  async function start(path, params) {
    fail('');
    try {
      const started = await call(path, { method: 'POST', params });
      say(`Run #${started.runId} (${started.mode}) of ${started.connection} started.`);
    }
    catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        fail(`${params.get('connection') || 'The connection'} is running already: ${error.problem && error.problem.detail || ''}`);
      }
      else {
        throw error;
      }
    }
    state.runs = { cursors: [], cursor: null };
    await showConnections();
  }

  async function showRejects(connection, cursor) {
    const params = new URLSearchParams({ limit: '20' });
    if (cursor) params.set('cursor', cursor);
    const page = await call(`api/v1/sources/${encodeURIComponent(connection)}/rejects`, { params });
    const section = $('#rejects');
    section.hidden = false;
    $('#rejects-title').textContent = `Rejects of ${connection}`;
    const rows = page.items.map((reject) => h('tr', null,
      h('td', { text: reject.sourceId || '—' }),
      h('td', { class: 'error-text', text: reject.reason }),
      h('td', { class: 'num', text: num(reject.timesSeen) }),
      h('td', { text: when(reject.firstSeenAt) }),
      h('td', { text: when(reject.lastSeenAt) }),
      h('td', null, h('details', null, h('summary', null, 'payload'),
        h('pre', { text: JSON.stringify(reject.payload, null, 2) })))));
    const tbody = $('#rejects-table tbody');
    if (cursor) append(tbody, rows);
    else fill(tbody, rows, 6, `${connection} has no rejects: every item it read was stored.`);
    state.rejects = { connection, cursor: page.page.nextCursor };
    $('#rejects-more').hidden = !page.page.hasNext;
    if (!cursor) $('#rejects-title').focus();
  }

  // ---------- interactions ----------

  function listParams(query) {
    const params = new URLSearchParams(query);
    if (!params.has('limit')) params.set('limit', $('#f-limit').value);
    return params;
  }

  async function showInteractions(query) {
    if (query !== state.list.query || !$('#interactions-table tbody').children.length) {
      state.list = { query, cursors: [], cursor: null };
      fillFilters(new URLSearchParams(query));
      loadModels();
    }
    await loadPage();
  }

  function fillFilters(params) {
    const form = $('#filters');
    for (const box of $$('input[type=checkbox]', form)) box.checked = params.getAll(box.name).includes(box.value);
    for (const name of ['connection', 'model', 'minRating', 'maxRating', 'q']) {
      form.elements[name].value = params.get(name) || '';
    }
    form.elements.sort.value = params.get('sort') || '-createdAt';
    form.elements.limit.value = params.get('limit') || '50';
    for (const name of ['createdFrom', 'createdTo']) form.elements[name].value = toLocalInput(params.get(name));
  }

  function filterQuery() {
    const form = $('#filters');
    const params = new URLSearchParams();
    for (const box of $$('input[type=checkbox]:checked', form)) params.append(box.name, box.value);
    for (const name of ['connection', 'model', 'minRating', 'maxRating', 'q']) {
      const value = form.elements[name].value.trim();
      if (value) params.set(name, value);
    }
    for (const name of ['createdFrom', 'createdTo']) {
      const value = form.elements[name].value;
      if (value) params.set(name, new Date(value).toISOString());
    }
    if (form.elements.sort.value !== '-createdAt') params.set('sort', form.elements.sort.value);
    if (form.elements.limit.value !== '50') params.set('limit', form.elements.limit.value);
    return params.toString();
  }

  function toLocalInput(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }

  async function loadModels() {
    const list = $('#models');
    if (list.children.length) return;
    await guarded(async () => {
      const stats = await call('api/v1/interactions/stats', { params: new URLSearchParams({ groupBy: 'model' }) });
      const models = stats.groups.map((group) => group.key.model).filter(Boolean).sort();
      list.replaceChildren(...models.map((model) => h('option', { value: model })));
    });
  }

  async function loadPage() {
    const params = listParams(state.list.query);
    if (state.list.cursor) params.set('cursor', state.list.cursor);
    const page = await call('api/v1/interactions', { params });
    fill($('#interactions-table tbody'), page.items.map(interactionRow), 8, 'No interaction matches these filters.');
    const number = state.list.cursors.length + 1;
    $('#page-label').textContent = `Page ${number}, ${page.items.length} interactions`;
    $('#interactions-caption').textContent = `Interactions, page ${number}`;
    $('#page-prev').disabled = state.list.cursors.length === 0;
    $('#page-next').disabled = !page.page.hasNext;
    $('#page-next').dataset.next = page.page.nextCursor || '';
    showFreshness($('#list-freshness'), page.freshness);
    $('#nav a[data-view=interactions]').href = state.list.query ? `#/interactions?${state.list.query}` : '#/interactions';
  }

  function interactionRow(item) {
    const open = (event) => openDetail(item.id, event.currentTarget.closest('tr').querySelector('button'));
    const row = h('tr', { class: 'openable', 'data-id': item.id, onclick: open },
      h('td', null, h('button', { type: 'button', class: 'link', 'data-focus': `row-${item.id}`,
        'aria-label': `Open interaction of ${when(item.createdAt)}, ${item.source}`,
        onclick: (event) => { event.stopPropagation(); open(event); } }, stamp(item.createdAt))),
      h('td', null, item.source, h('span', { class: 'sub', text: item.connection })),
      h('td', { text: item.model || '—' }),
      h('td', null, badge(item.status), item.deletedAt ? [' ', badge('failed', 'deleted')] : null),
      h('td', { class: 'text', title: item.inputText || '', text: clip(item.inputText, 90) }),
      h('td', { class: 'text', title: item.outputText || '', text: clip(item.outputText, 90) }),
      h('td', { class: 'num', text: rating(item.rating && item.rating.normalized) }),
      h('td', { class: 'num', text: tokens(item.usage) }));
    if (item.id === state.detail.id) row.classList.add('selected');
    return row;
  }

  function showFreshness(element, freshness) {
    if (!freshness || !freshness.connections || !freshness.connections.length) {
      element.textContent = '';
      return;
    }
    const times = freshness.connections.map((c) => c.lastSuccessAt).filter(Boolean).sort();
    const never = freshness.connections.filter((c) => !c.lastSuccessAt).map((c) => c.connection);
    const behind = freshness.connections.filter((c) => c.stale || c.lastRunFailed)
      .map((c) => `${c.connection} ${c.stale ? 'is stale' : 'failed its last run'}`);
    let text = times.length
      ? `Data as of ${when(times[0])} (the oldest last success of ${freshness.connections.length} connection${freshness.connections.length > 1 ? 's' : ''})`
      : 'No connection has synced yet';
    if (never.length && times.length) text += `; never synced: ${never.join(', ')}`;
    if (freshness.partial) text += `. Partial: ${behind.join('; ')}`;
    element.textContent = `${text}.`;
    element.classList.toggle('partial', !!freshness.partial);
  }

  async function exportAs(format) {
    const params = new URLSearchParams(filterQuery());
    params.delete('limit');
    params.set('format', format);
    say(`Exporting ${format.toUpperCase()}…`);
    const response = await call('api/v1/interactions/export', { params, accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
    const blob = await response.blob();
    const disposition = response.headers.get('Content-Disposition') || '';
    const named = /filename="?([^";]+)"?/.exec(disposition);
    const link = h('a', { href: URL.createObjectURL(blob), download: named ? named[1] : `interactions.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    say(`Exported ${numberFormat.format(blob.size)} bytes as ${link.download}.`);
  }

  // ---------- the interaction pane ----------

  async function openDetail(id, opener) {
    if (!id) return;
    state.detail = { id, opener: opener || document.activeElement };
    for (const row of $$('#interactions-table tr.selected')) row.classList.remove('selected');
    const selected = $$('#interactions-table tr[data-id]').find((row) => row.dataset.id === id);
    if (selected) selected.classList.add('selected');
    const detail = await call(`api/v1/interactions/${encodeURIComponent(id)}`);
    renderDetail(detail);
    $('#detail').hidden = false;
    document.body.classList.add('detail-open');
    $('#detail').scrollTop = 0;
    $('#detail-title').focus({ preventScroll: true });
  }

  function closeDetail(restoreFocus = true) {
    if ($('#detail').hidden) return;
    $('#detail').hidden = true;
    document.body.classList.remove('detail-open');
    for (const row of $$('#interactions-table tr.selected')) row.classList.remove('selected');
    const opener = state.detail.opener;
    state.detail = { id: null, opener: null };
    if (restoreFocus && opener && document.contains(opener)) opener.focus();
  }

  function renderDetail(item) {
    $('#detail-title').textContent = `${item.source} interaction`;
    const r = item.rating || {};
    let ratingText = '—';
    if (r.normalized != null) {
      ratingText = `${r.normalized.toFixed(2)} of 1`;
      if (r.value != null && r.min != null && r.max != null) ratingText += ` (${r.value} on ${r.min}–${r.max})`;
      if (r.source) ratingText += `, from ${r.source}`;
    }
    const participant = item.participant || {};
    const facts = [
      ['Created', when(item.createdAt)],
      ['Updated', when(item.updatedAt)],
      ['Connection', item.connection],
      ['Status', badge(item.status)],
      ['Model', item.model || '—'],
      ['Rating', ratingText],
      ['Feedback', item.feedback || '—'],
      ['Tokens', item.usage ? `${num(item.usage.inputTokens)} in, ${num(item.usage.outputTokens)} out` : '—'],
      ['Participant', participant.externalId
        ? h('a', { href: `#/people/${encodeURIComponent(participant.externalId)}` }, `${participant.externalId} (timeline)`)
        : (participant.id || '—')],
      ['Thread', item.threadId
        ? h('a', { href: `#/threads/${encodeURIComponent(item.connection)}/${encodeURIComponent(item.threadId)}` }, item.threadId)
        : '—'],
      ['Upstream id', item.sourceId],
      ['Gateway id', item.id],
    ];
    if (item.deletedAt) facts.push(['Deleted upstream', when(item.deletedAt)]);
    const messages = (item.messages && item.messages.length) ? item.messages
      : [item.inputText != null ? { role: 'user', type: 'text', text: item.inputText } : null,
        item.outputText != null ? { role: 'assistant', type: 'text', text: item.outputText } : null].filter(Boolean);
    const raw = h('div', { id: 'detail-raw' });
    $('#detail-body').replaceChildren(
      h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', { text: term }), h('dd', null, value)])),
      h('h3', { text: 'Conversation' }),
      messages.length ? conversation(messages) : h('p', { class: 'muted', text: 'No messages stored.' }),
      h('details', null, h('summary', null, 'Attributes'), h('pre', { text: JSON.stringify(item.attributes, null, 2) })),
      h('p', null, h('button', { type: 'button', class: 'quiet', id: 'show-raw',
        onclick: () => guarded(() => showRaw(item.id, raw)) }, 'Show raw upstream object')),
      raw);
  }

  function conversation(messages) {
    return h('ol', { class: 'conversation', 'aria-label': 'Messages' }, messages.map((message) => {
      const role = ['user', 'assistant', 'tool', 'system'].includes(message.role) ? message.role : 'other';
      const label = message.type && message.type !== 'text' ? `${message.role} · ${message.type}` : message.role;
      return h('li', { class: `msg ${role}` }, h('span', { class: 'who', text: label }), message.text || '');
    }));
  }

  async function showRaw(id, target) {
    const detail = await call(`api/v1/interactions/${encodeURIComponent(id)}`, { params: new URLSearchParams({ include: 'raw' }) });
    target.replaceChildren(h('h3', { text: 'Raw, as the upstream sent it (secrets removed)' }),
      h('pre', { id: 'raw-json', tabindex: '0', text: JSON.stringify(detail.raw, null, 2) }));
    $('#show-raw').remove();
  }

  // ---------- threads ----------

  async function showThreads(query) {
    if (query !== state.threads.query || !$('#threads-table tbody').children.length) {
      state.threads = { query, cursors: [], cursor: null };
      const params = new URLSearchParams(query);
      const form = $('#thread-filters');
      for (const name of ['source', 'connection', 'participant']) form.elements[name].value = params.get(name) || '';
    }
    const params = new URLSearchParams(state.threads.query);
    params.set('limit', '25');
    if (state.threads.cursor) params.set('cursor', state.threads.cursor);
    const page = await call('api/v1/threads', { params });
    fill($('#threads-table tbody'), page.items.map((thread) => h('tr', null,
      h('td', null, h('a', { href: `#/threads/${encodeURIComponent(thread.connection)}/${encodeURIComponent(thread.threadId)}`,
        'data-focus': `thread-${thread.connection}-${thread.threadId}` }, clip(thread.threadId, 40))),
      h('td', null, thread.connection, h('span', { class: 'sub', text: thread.source })),
      h('td', { class: 'nowrap', text: stamp(thread.lastAt) }),
      h('td', { class: 'num', text: num(thread.turns) }),
      h('td', { text: thread.participant || '—' }),
      h('td', { text: (thread.models || []).join(', ') || '—' }),
      h('td', { class: 'num', text: rating(thread.avgRating) }),
      h('td', { class: 'num', text: tokens(thread) }))), 8, 'No thread matches.');
    $('#threads-prev').disabled = state.threads.cursors.length === 0;
    $('#threads-next').disabled = !page.page.hasNext;
    $('#threads-next').dataset.next = page.page.nextCursor || '';
  }

  async function showThread(connection, id) {
    const fresh = state.thread.connection !== connection || state.thread.id !== id;
    state.thread = { connection, id, cursor: null };
    $('#thread-title').textContent = `Thread ${id}`;
    $('#thread-meta').textContent = `${connection}, oldest turn first`;
    $('#thread-turns').replaceChildren();
    await moreTurns();
    if (fresh) $('#thread-title').focus();
  }

  async function moreTurns() {
    const { connection, id, cursor } = state.thread;
    const params = new URLSearchParams({ limit: '50' });
    if (cursor) params.set('cursor', cursor);
    const page = await call(`api/v1/threads/${encodeURIComponent(connection)}/${encodeURIComponent(id)}`, { params });
    append($('#thread-turns'), page.items.map((item, index) => h('li', { class: 'turn' },
      h('div', { class: 'meta' }, h('span', { text: when(item.createdAt) }), badge(item.status),
        h('span', { text: item.model || '' }), h('span', { text: `rating ${rating(item.rating && item.rating.normalized)}` }),
        h('button', { type: 'button', class: 'quiet', 'aria-label': `Details of turn ${index + 1}`,
          onclick: (event) => guarded(() => openDetail(item.id, event.currentTarget)) }, 'Details')),
      conversation([item.inputText != null ? { role: 'user', text: item.inputText } : null,
        item.outputText != null ? { role: 'assistant', text: item.outputText } : null].filter(Boolean)))));
    state.thread.cursor = page.page.nextCursor;
    $('#thread-more').hidden = !page.page.hasNext;
  }

  // ---------- people ----------

  async function showPeople() {
    const params = new URLSearchParams({ limit: '25' });
    if (state.people.cursor) params.set('cursor', state.people.cursor);
    const page = await call('api/v1/participants', { params });
    fill($('#people-table tbody'), page.items.map((person) => h('tr', null,
      h('td', null, h('a', { href: `#/people/${encodeURIComponent(person.externalParticipantId)}`,
        'data-focus': `person-${person.externalParticipantId}` }, person.externalParticipantId)),
      h('td', { text: (person.sources || []).join(', ') }),
      h('td', { class: 'num', text: num(person.interactions) }),
      h('td', { class: 'num', text: num(person.threads) }),
      h('td', { class: 'nowrap', text: stamp(person.firstAt) }),
      h('td', { class: 'nowrap', text: stamp(person.lastAt) }),
      h('td', { class: 'num', text: rating(person.avgRating) }),
      h('td', { class: 'num', text: tokens(person) }))), 8,
    'Nobody yet: people are grouped by the customer\'s own id, which a connection carries or maps with participant-external-id.');
    $('#people-prev').disabled = state.people.cursors.length === 0;
    $('#people-next').disabled = !page.page.hasNext;
    $('#people-next').dataset.next = page.page.nextCursor || '';
  }

  async function showPerson(id) {
    state.person = { id, cursor: null };
    $('#person-title').textContent = `Timeline of ${id}`;
    $('#timeline').replaceChildren();
    await moreTimeline();
    $('#person-title').focus();
  }

  async function moreTimeline() {
    const params = new URLSearchParams({ limit: '50' });
    if (state.person.cursor) params.set('cursor', state.person.cursor);
    const page = await call(`api/v1/participants/${encodeURIComponent(state.person.id)}/interactions`, { params });
    append($('#timeline'), page.items.map((item) => h('li', { class: 'event' },
      h('div', { class: 'meta' }, h('span', { text: when(item.createdAt) }), badge('', item.source),
        h('span', { text: item.connection }), badge(item.status), h('span', { text: item.model || '' }),
        item.threadId ? h('a', { href: `#/threads/${encodeURIComponent(item.connection)}/${encodeURIComponent(item.threadId)}` }, 'thread') : null,
        h('button', { type: 'button', class: 'quiet', 'aria-label': `Details of the ${item.source} interaction of ${when(item.createdAt)}`,
          onclick: (event) => guarded(() => openDetail(item.id, event.currentTarget)) }, 'Details')),
      item.inputText ? h('p', null, h('strong', { text: 'Asked: ' }), clip(item.inputText, 300)) : null,
      item.outputText ? h('p', null, h('strong', { text: 'Answer: ' }), clip(item.outputText, 300)) : null)));
    if (!page.items.length && !state.person.cursor) {
      append($('#timeline'), h('li', { class: 'muted', text: 'No interaction of this person.' }));
    }
    state.person.cursor = page.page.nextCursor;
    $('#timeline-more').hidden = !page.page.hasNext;
  }

  // ---------- charts ----------

  const METRICS = {
    count: { label: 'Interactions', value: (g) => g.count, format: (v) => num(v) },
    tokens: { label: 'Tokens', value: (g) => (g.inputTokens == null && g.outputTokens == null ? null : (g.inputTokens || 0) + (g.outputTokens || 0)), format: compact },
    cost: { label: 'Cost', value: (g) => g.cost, format: (v) => v.toFixed(2) },
    avgRating: { label: 'Average rating', value: (g) => g.avgRating, format: (v) => v.toFixed(2), max: 1 },
  };

  function compact(value) {
    if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
    if (Math.abs(value) >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
    return numberFormat.format(value);
  }

  async function showCharts() {
    const form = $('#chart-form');
    const metric = METRICS[form.elements.metric.value];
    const groupBy = form.elements.groupBy.value;
    const interval = form.elements.interval.value;
    const params = new URLSearchParams({ groupBy, interval, tz: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' });
    const period = form.elements.period.value;
    if (period !== 'all') {
      const from = new Date(Date.now() - Number(period) * 86400000);
      from.setHours(0, 0, 0, 0);
      params.set('createdFrom', from.toISOString());
    }
    const stats = await call('api/v1/interactions/stats', { params });
    showFreshness($('#chart-freshness'), stats.freshness);
    drawChart(stats, metric, groupBy, interval);
  }

  function drawChart(stats, metric, groupBy, interval) {
    const buckets = [...new Set(stats.groups.map((g) => g.bucket))].sort((a, b) => new Date(a) - new Date(b));
    const series = new Map();
    for (const group of stats.groups) {
      const name = group.key[groupBy] == null ? '(none)' : String(group.key[groupBy]);
      if (!series.has(name)) series.set(name, new Map());
      series.get(name).set(group.bucket, metric.value(group));
    }
    // a group without a value in any bucket (no model rated, no price) draws nothing and is left out
    const names = [...series.keys()].filter((name) => [...series.get(name).values()].some((v) => v != null)).sort();
    const values = names.flatMap((name) => [...series.get(name).values()]).filter((v) => v != null);
    const caption = `${metric.label} per ${groupBy} and ${interval}, ${buckets.length ? `${bucketLabel(buckets[0], interval)} to ${bucketLabel(buckets[buckets.length - 1], interval)}` : 'no data'} (${stats.tz}).`;
    $('#chart-caption').textContent = caption;
    const target = $('#chart');
    if (!buckets.length || !values.length) {
      target.replaceChildren(h('p', { class: 'muted', text: buckets.length ? `No ${metric.label.toLowerCase()} to show: no interaction in this range has a value for it${metric.label === 'Cost' ? ' (cost needs a price for every model, tributary.pricing)' : ''}.` : 'No interaction in this range.' }));
      chartTable([], [], series, metric, interval);
      return;
    }
    const W = 800; const H = 300; const left = 56; const right = 16; const top = 14; const bottom = 38;
    const max = metric.max || niceMax(Math.max(...values));
    const x = (i) => left + (buckets.length === 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (buckets.length - 1));
    const y = (v) => top + (H - top - bottom) * (1 - v / max);
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-svg-title', id: 'chart-svg' },
      svg('title', { id: 'chart-svg-title', text: caption }));
    for (let t = 0; t <= 4; t += 1) {
      const v = (max * t) / 4;
      chart.append(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }),
        svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', text: metric.format(v) }));
    }
    chart.append(svg('line', { class: 'axis', x1: left, x2: W - right, y1: y(0), y2: y(0) }));
    const step = Math.max(1, Math.ceil(buckets.length / 8));
    buckets.forEach((bucket, i) => {
      const last = buckets.length - 1;
      if ((i % step === 0 && last - i > step / 2) || i === last) {
        const anchor = buckets.length === 1 ? 'middle' : (i === 0 ? 'start' : (i === buckets.length - 1 ? 'end' : 'middle'));
        chart.append(svg('text', { x: x(i), y: H - bottom + 16, 'text-anchor': anchor, text: bucketLabel(bucket, interval) }));
      }
    });
    names.forEach((name, n) => {
      const colour = PALETTE[n % PALETTE.length];
      const points = buckets.map((bucket, i) => {
        const v = series.get(name).get(bucket);
        return v == null ? null : [x(i), y(v), bucket, v];
      });
      // a line through the buckets that have a value; a gap where one has none
      let path = '';
      let drawing = false;
      for (const point of points) {
        if (!point) { drawing = false; continue; }
        path += `${drawing ? 'L' : 'M'}${point[0].toFixed(1)},${point[1].toFixed(1)} `;
        drawing = true;
      }
      const group = svg('g', { class: 'series-group', 'data-series': name },
        svg('path', { class: 'series', d: path.trim(), stroke: colour, 'stroke-dasharray': DASHES[n % DASHES.length] }));
      for (const point of points.filter(Boolean)) {
        group.append(svg('circle', { cx: point[0], cy: point[1], r: 3, fill: colour },
          svg('title', { text: `${name}, ${bucketLabel(point[2], interval)}: ${metric.format(point[3])}` })));
      }
      chart.append(group);
    });
    const legend = h('ul', { class: 'legend', 'aria-label': 'Legend' }, names.map((name, n) =>
      h('li', null, svg('svg', { viewBox: '0 0 24 10', 'aria-hidden': 'true' },
        svg('line', { x1: 0, x2: 24, y1: 5, y2: 5, stroke: PALETTE[n % PALETTE.length], 'stroke-width': 3,
          'stroke-dasharray': DASHES[n % DASHES.length] })), name)));
    target.replaceChildren(legend, chart);
    chartTable(buckets, names, series, metric, interval);
  }

  function chartTable(buckets, names, series, metric, interval) {
    const table = $('#chart-table');
    $('thead', table).replaceChildren(h('tr', null, h('th', { scope: 'col', text: interval }),
      names.map((name) => h('th', { scope: 'col', class: 'num', text: name }))));
    $('tbody', table).replaceChildren(...buckets.map((bucket) => h('tr', null,
      h('th', { scope: 'row', text: bucketLabel(bucket, interval) }),
      names.map((name) => {
        const v = series.get(name).get(bucket);
        return h('td', { class: 'num', text: v == null ? '—' : metric.format(v) });
      }))));
  }

  function niceMax(value) {
    if (value <= 0) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    for (const factor of [1, 2, 2.5, 5, 10]) if (value <= factor * power) return factor * power;
    return 10 * power;
  }

  function bucketLabel(bucket, interval) {
    // the bucket's own offset says where the day starts: read the date and time as written
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(bucket);
    if (!match) return bucket;
    const day = `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]}`;
    return interval === 'hour' ? `${day} ${match[4]}:${match[5]}` : day;
  }

  // ---------- wiring ----------

  function pageButtons(prefix, store, load) {
    $(`#${prefix}-next`).addEventListener('click', (event) => guarded(async () => {
      store().cursors.push(store().cursor);
      store().cursor = event.currentTarget.dataset.next;
      await load();
    }));
    $(`#${prefix}-prev`).addEventListener('click', () => guarded(async () => {
      store().cursor = store().cursors.pop() || null;
      await load();
    }));
  }

  function wire() {
    $('#login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = $('#api-key').value.trim();
      guarded(async () => {
        if (await signIn(key)) {
          $('#api-key').value = '';
          $('#demo-note').hidden = true;
          route();
        }
      });
    });
    $('#change-key').addEventListener('click', () => signOut());
    window.addEventListener('hashchange', route);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && state.view === 'connections' && !state.timer) guarded(showConnections);
    });

    $('#runs-older').addEventListener('click', (event) => guarded(async () => {
      state.runs.cursors.push(state.runs.cursor);
      state.runs.cursor = event.currentTarget.dataset.next;
      await showConnections();
    }));
    $('#runs-newest').addEventListener('click', () => guarded(async () => {
      state.runs = { cursors: [], cursor: null };
      await showConnections();
    }));
    $('#rejects-more').addEventListener('click', () => guarded(() => showRejects(state.rejects.connection, state.rejects.cursor)));

    $('#filters').addEventListener('submit', (event) => {
      event.preventDefault();
      const query = filterQuery();
      const target = query ? `#/interactions?${query}` : '#/interactions';
      state.list.query = null; // a new search starts at its first page
      if (location.hash === target) guarded(() => showInteractions(query));
      else location.hash = target;
    });
    $('#reset-filters').addEventListener('click', () => {
      $('#filters').reset();
      location.hash = '#/interactions';
    });
    pageButtons('page', () => state.list, loadPage);
    $('#export-csv').addEventListener('click', () => guarded(() => exportAs('csv')));
    $('#export-ndjson').addEventListener('click', () => guarded(() => exportAs('ndjson')));

    $('#detail-close').addEventListener('click', closeDetail);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !$('#detail').hidden) closeDetail();
    });

    $('#thread-filters').addEventListener('submit', (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const name of ['source', 'connection', 'participant']) {
        const value = event.currentTarget.elements[name].value.trim();
        if (value) params.set(name, value);
      }
      const query = params.toString();
      const target = query ? `#/threads?${query}` : '#/threads';
      if (location.hash === target) guarded(() => showThreads(query));
      else location.hash = target;
    });
    pageButtons('threads', () => state.threads, () => showThreads(state.threads.query));
    $('#thread-more').addEventListener('click', () => guarded(moreTurns));
    pageButtons('people', () => state.people, showPeople);
    $('#timeline-more').addEventListener('click', () => guarded(moreTimeline));

    $('#chart-form').addEventListener('submit', (event) => {
      event.preventDefault();
      guarded(showCharts);
    });
    for (const select of $$('#chart-form select')) select.addEventListener('change', () => guarded(showCharts));
  }

  async function boot() {
    wire();
    try {
      const response = await fetch('console/config.json', { headers: { Accept: 'application/json' } });
      if (response.ok) state.config = await response.json();
    }
    catch (ignored) {
      // an older gateway: ask for a key
    }
    if (state.key || !state.config.keyRequired) {
      await guarded(async () => {
        if (await signIn(state.key)) route();
      });
    }
    else {
      showLogin();
    }
  }

  boot();
})();
