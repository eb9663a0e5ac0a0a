// SessionHub dashboard: plain JS, no framework, no build step. Everything from the hub goes into the DOM as text
// (textContent and attributes), never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'sessionhub.token';
  const FADE_MS = 1800;          // a session that went away stays this long, fading, before its row is removed
  const DEBOUNCE_MS = 250;       // selector typing
  const RESYNC_MS = 10000;       // full inventory re-read (last_seen values, anything missed while reconnecting)
  const CLUSTER_REFRESH_MS = 5000;
  const LIVE_MAX_CHARS = 64 * 1024; // a running target's live output kept in the page; older text gives way
  const LIVE_POLL_MS = 500;         // reading a running job when its event stream is gone

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)

  /** el('td', {class: 'x', text: 'y', title: 'z', data: {address: a}}, child, 'text child', ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key === 'data') for (const [k, v] of Object.entries(value)) node.dataset[k] = String(v);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    node.replaceChildren();
    return node;
  }

  function showError(node, message) {
    node.textContent = message || '';
    node.hidden = !message;
  }

  function debounce(fn, ms) {
    let timer = 0;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function ago(iso) {
    const t = Date.parse(iso);
    if (!iso || Number.isNaN(t)) return '—';
    const s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 2) return 'just now';
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    if (s < 86400) return Math.floor(s / 3600) + ' h ago';
    return new Date(t).toLocaleString();
  }

  function millis(ms) {
    if (ms === undefined || ms === null) return '—';
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  /** Orders addresses host first, then port, numerically where they are numbers. */
  function compareAddresses(a, b) {
    return a.localeCompare(b, undefined, {numeric: true});
  }

  const sessionHref = (address) => '#/session/' + encodeURIComponent(address);
  const jobHref = (id) => '#/jobs/' + encodeURIComponent(id);

  /**
   * A running target's output as it is printed: pieces appended as text, at most LIVE_MAX_CHARS kept (when it
   * grows past that, the oldest quarter gives way to a marker saying how much is no longer shown).
   */
  class LiveText {
    constructor(testid) {
      this.node = el('pre', {class: 'output live', data: {testid}});
      this.text = '';
      this.dropped = 0;
    }

    append(text, skipped) {
      let piece = skipped > 0 ? '\n[' + skipped + ' characters of output were not kept]\n' : '';
      piece += text || '';
      if (!piece) return;
      this.text += piece;
      if (this.text.length <= LIVE_MAX_CHARS) {
        this.node.append(document.createTextNode(piece));
      } else {
        const cut = this.text.length - Math.floor(LIVE_MAX_CHARS * 3 / 4);
        this.dropped += cut;
        this.text = this.text.slice(cut);
        this.render();
      }
      this.node.scrollTop = this.node.scrollHeight;
    }

    /** Everything so far, as one read of the job gives it (replaces what the pieces showed). */
    replace(text) {
      this.text = '';
      this.dropped = 0;
      this.node.replaceChildren();
      this.append(text, 0);
    }

    render() {
      this.node.replaceChildren(...(this.dropped ? [el('span', {class: 'dropped', data: {testid: 'live-dropped'},
        text: '[… ' + this.dropped + ' earlier characters not shown here …]\n'})] : []),
      document.createTextNode(this.text));
    }
  }

  // ---------------------------------------------------------------- the API, with the token on every call

  let token = sessionStorage.getItem(TOKEN_KEY);

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.message) || ('the hub answered HTTP ' + status));
      this.status = status;
      this.body = body || {};
    }
  }

  /** Calls the hub; resolves with the JSON body of a 2xx answer, rejects with an ApiError otherwise. */
  async function api(path, {method = 'GET', body} = {}) {
    const headers = {Accept: 'application/json'};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      // credentials 'omit': the token travels in the header only, and a 401 never opens the browser's own prompt.
      response = await fetch(path, {method, headers, credentials: 'omit', cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (e) {
      throw new ApiError(0, {message: 'the hub is unreachable (' + e.message + ')'});
    }
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (response.status === 401) {
      tokenRefused();
    }
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  /** EventSource cannot send headers: the hub also takes the token as ?token= on its two event streams. */
  function streamUrl(path) {
    return token ? path + (path.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : path;
  }

  // ---------------------------------------------------------------- token prompt

  let started = false;

  function tokenRefused() {
    if ($('token-dialog').open) return;
    const hadToken = !!token;
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    stopLive();
    askForToken(hadToken ? 'The hub refused the stored token; paste the current one.' : '');
  }

  function askForToken(message) {
    showError($('token-error'), message);
    const dialog = $('token-dialog');
    if (!dialog.open) dialog.showModal();
    $('token-input').focus();
  }

  async function submitToken() {
    const candidate = $('token-input').value.trim();
    if (!candidate) {
      showError($('token-error'), 'Enter the token.');
      return;
    }
    $('token-submit').disabled = true;
    try {
      const response = await fetch('/api/cluster', {headers: {Authorization: 'Bearer ' + candidate},
        credentials: 'omit', cache: 'no-store'});
      if (response.status === 401) {
        showError($('token-error'), 'The hub refused that token.');
        $('token-input').select();
        return;
      }
      token = candidate;
      sessionStorage.setItem(TOKEN_KEY, token);
      $('token-input').value = '';
      showError($('token-error'), '');
      $('token-dialog').close();
      start();
    } catch (e) {
      showError($('token-error'), 'The hub is unreachable: ' + e.message);
    } finally {
      $('token-submit').disabled = false;
    }
  }

  // ---------------------------------------------------------------- live inventory

  const inventory = {
    selector: '',
    rows: new Map(),       // address -> {tr, session}
    query: 0,              // sequence number of the latest listing request; older answers are dropped
    touched: new Map(),    // address -> the latest request issued before its last live event
    valid: true,
  };
  let events = null;       // the /api/events EventSource
  let reconnectTimer = 0;

  function setLive(state, text) {
    const live = $('live');
    live.dataset.state = state;
    live.textContent = text;
  }

  function startLive() {
    stopLive();
    setLive('connecting', 'connecting');
    const source = new EventSource(streamUrl('/api/events'));
    events = source;
    let hadError = false;
    source.onopen = () => {
      setLive('live', 'live');
      if (hadError) refreshInventory({fade: true}); // events may have been missed while reconnecting
      hadError = false;
    };
    source.onerror = () => {
      hadError = true;
      if (source !== events) return;
      if (source.readyState === EventSource.CLOSED) {
        setLive('down', 'disconnected');
        // The stream was refused (token?) or the hub is gone: check with a plain call, then try again.
        clearTimeout(reconnectTimer);
        reconnectTimer = setTimeout(() => api('/api/cluster').then(startLive, () => {
          if (token || !$('token-dialog').open) reconnectTimer = setTimeout(startLive, 3000);
        }), 2000);
      } else {
        setLive('connecting', 'reconnecting');
      }
    };
    for (const type of ['up', 'changed', 'down']) {
      source.addEventListener(type, (e) => {
        let event;
        try {
          event = JSON.parse(e.data);
        } catch (err) {
          return;
        }
        if (event && event.session) onInventoryEvent(type, event);
      });
    }
  }

  function stopLive() {
    clearTimeout(reconnectTimer);
    if (events) {
      events.close();
      events = null;
    }
  }

  const selectsAll = () => inventory.selector === '' || inventory.selector === '*';

  function onInventoryEvent(type, event) {
    const session = event.session;
    // A listing requested before this event may not reflect it: for this address, the event wins over it.
    inventory.touched.set(session.address, inventory.query);
    if (type === 'down') {
      fadeOut(session.address, event.reason || 'gone');
    } else if (selectsAll()) {
      upsertRow(session, type === 'up');
      updateCount();
    } else {
      refreshSoon(); // whether it matches is the server's call: one parser for every entry point
    }
    sessionView.onEvent(type, event);
  }

  const refreshSoon = debounce(() => refreshInventory({fade: true}), 150);

  /** Reads the listing for the current selector and reconciles the table with it. */
  async function refreshInventory({fade = false} = {}) {
    const seq = ++inventory.query;
    const selector = inventory.selector;
    let listing;
    try {
      listing = await api('/api/sessions?selector=' + encodeURIComponent(selector));
    } catch (e) {
      if (seq !== inventory.query) return;
      if (e.status === 400 && e.body.error === 'bad_selector') {
        inventory.valid = false;
        $('sessions-table').classList.add('stale');
        $('selector').setAttribute('aria-invalid', 'true');
        showError($('selector-error'), e.body.message);
        $('match-count').textContent = 'bad selector';
        $('match-count').dataset.count = '';
      } else if (e.status !== 401) {
        showError($('selector-error'), e.message);
      }
      return;
    }
    if (seq !== inventory.query) return;
    inventory.valid = true;
    $('sessions-table').classList.remove('stale');
    $('selector').removeAttribute('aria-invalid');
    showError($('selector-error'), '');
    const stale = (address) => (inventory.touched.get(address) ?? -1) >= seq;
    const seen = new Set();
    for (const session of listing.sessions) {
      seen.add(session.address);
      if (!stale(session.address)) upsertRow(session, false);
    }
    for (const [address, row] of inventory.rows) {
      if (seen.has(address) || stale(address) || row.tr.classList.contains('gone')) continue;
      if (fade) fadeOut(address, 'gone');
      else removeRow(address);
    }
    for (const [address, before] of inventory.touched) {
      if (before < seq) inventory.touched.delete(address);
    }
    updateCount();
  }

  function rowCells(s) {
    const tags = el('span', {class: 'tags'});
    for (const [k, v] of Object.entries(s.tags || {})) {
      if (k === 'name') continue;
      tags.append(el('span', {class: 'tag', text: k + '=' + v}));
    }
    const name = s.name ? el('span', {class: 'name', text: s.name}) : null;
    return [
      el('td', {class: 'app'}, el('span', {class: 'app-name', text: s.app || '?'}),
        s.app_version ? el('span', {class: 'muted', text: ' ' + s.app_version}) : null),
      el('td', {class: 'address'}, el('a', {href: sessionHref(s.address), text: s.address,
        data: {testid: 'session-link'}}), name),
      el('td', {class: 'num pid', text: s.pid ?? ''}),
      el('td', {class: 'user', text: s.user || ''}),
      el('td', {class: 'file', text: s.file_path || '', title: s.file_path || ''}),
      el('td', {class: 'num objects', text: s.object_count ?? (s.scene_objects || []).length}),
      el('td', {}, tags),
      el('td', {}, el('span', {class: 'source ' + (s.source || ''), text: s.source || ''})),
      el('td', {class: 'last-seen', data: {ts: s.last_seen || ''}, title: s.last_seen || '',
        text: ago(s.last_seen)}),
    ];
  }

  function upsertRow(session, fresh) {
    const existing = inventory.rows.get(session.address);
    if (existing && existing.tr.classList.contains('gone')) {
      removeRow(session.address); // came back while fading: a new row
    }
    const row = inventory.rows.get(session.address);
    if (row) {
      row.session = session;
      row.tr.replaceChildren(...rowCells(session));
      return;
    }
    const tr = el('tr', {data: {address: session.address, testid: 'session-row', state: 'up'},
      class: fresh ? 'fresh' : '', onclick: (e) => {
        if (!e.target.closest('a')) location.hash = sessionHref(session.address);
      }}, ...rowCells(session));
    inventory.rows.set(session.address, {tr, session});
    const body = $('sessions');
    let before = null;
    for (const other of body.children) {
      if (compareAddresses(other.dataset.address, session.address) > 0) {
        before = other;
        break;
      }
    }
    body.insertBefore(tr, before);
  }

  /** A session that went away: marked, faded out by a CSS transition, then removed. */
  function fadeOut(address, reason) {
    const row = inventory.rows.get(address);
    if (!row || row.tr.classList.contains('gone')) return;
    const tr = row.tr;
    tr.dataset.state = 'gone';
    tr.classList.remove('fresh');
    const seen = tr.querySelector('.last-seen');
    if (seen) seen.textContent = reason;
    tr.classList.add('gone');
    setTimeout(() => {
      if (inventory.rows.get(address) === row) removeRow(address);
    }, FADE_MS);
    updateCount();
  }

  function removeRow(address) {
    const row = inventory.rows.get(address);
    if (row) {
      row.tr.remove();
      inventory.rows.delete(address);
    }
  }

  function updateCount() {
    if (!inventory.valid) return;
    let n = 0;
    for (const row of inventory.rows.values()) {
      if (!row.tr.classList.contains('gone')) n++;
    }
    const count = $('match-count');
    count.dataset.count = String(n);
    count.textContent = selectsAll() ? plural(n, 'session') : plural(n, 'session') + ' match';
    $('sessions-empty').hidden = inventory.rows.size > 0;
  }

  function tickLastSeen() {
    for (const cell of document.querySelectorAll('#sessions tr:not(.gone) .last-seen')) {
      cell.textContent = ago(cell.dataset.ts);
    }
  }

  // ---------------------------------------------------------------- one session

  const sessionView = {
    address: null,
    session: null,

    async open(address) {
      this.address = address;
      this.session = null;
      $('session-address').textContent = address;
      $('session-title').textContent = address;
      $('session-gone').hidden = true;
      showError($('session-error'), '');
      clear($('session-data').tBodies[0]);
      clear($('session-objects'));
      $('session-object-count').textContent = '';
      clear($('console-log'));
      try {
        const session = await api('/api/sessions/' + encodeURIComponent(address));
        if (this.address === address) this.render(session);
      } catch (e) {
        if (this.address === address) {
          showError($('session-error'), e.status === 404 ? 'No session at ' + address + ' (it may have gone away).'
            : e.message);
        }
      }
    },

    render(s) {
      this.session = s;
      $('session-title').textContent = (s.name ? s.name + ' · ' : '') + (s.app || '?') + ' on ' + s.address;
      const body = clear($('session-data').tBodies[0]);
      const record = ['address', 'host', 'port', 'url', 'source', 'hub', 'first_seen', 'last_seen', 'lease_ms'];
      const derived = ['object_count', 'name'];
      const data = Object.keys(s).filter((k) => !record.includes(k) && !derived.includes(k)).sort();
      body.append(el('tr', {class: 'section'}, el('th', {colspan: 2, text: 'server_data()'})));
      for (const key of data) body.append(kvRow(key, s[key]));
      body.append(el('tr', {class: 'section'}, el('th', {colspan: 2, text: 'inventory record'})));
      for (const key of record) if (key in s) body.append(kvRow(key, s[key]));
      const list = clear($('session-objects'));
      for (const name of s.scene_objects || []) list.append(el('li', {text: name}));
      $('session-object-count').textContent = '(' + (s.scene_objects || []).length + ')';
    },

    onEvent(type, event) {
      if (!this.address || event.session.address !== this.address) return;
      if (type === 'down') {
        $('session-gone').textContent = 'This session has gone away (' + (event.reason || 'down') + ').';
        $('session-gone').hidden = false;
      } else {
        $('session-gone').hidden = true;
        showError($('session-error'), '');
        this.render(event.session);
      }
    },

    async run() {
      const code = $('console-code').value;
      if (!code.trim() || !this.address) return;
      const timeout = Number($('console-timeout').value) || 30;
      const result = el('div', {class: 'console-result', text: 'running…'});
      const entry = el('div', {class: 'console-entry', data: {state: 'pending', testid: 'console-entry'}},
        el('pre', {class: 'console-code', text: code}), result);
      $('console-log').append(entry);
      entry.scrollIntoView({block: 'nearest'});
      $('console-run').disabled = true;
      const address = this.address;
      try {
        const started = await api('/api/sessions/' + encodeURIComponent(address) + '/command',
          {method: 'POST', body: {code, timeout, wait: false}});
        // A hub that cannot start a routed command without waiting answers with the ended job.
        const job = started.results ? started : await followCommand(started.id, result);
        const r = (job.results || [])[0] || {state: 'pending'};
        entry.dataset.state = r.state;
        result.replaceChildren(...resultNodes(r),
          el('div', {class: 'meta'}, el('span', {class: 'badge ' + r.state, text: r.state}),
            ' ' + millis(r.duration_ms) + ' · ', el('a', {href: jobHref(job.id), text: 'job ' + job.id})));
      } catch (e) {
        entry.dataset.state = 'failed';
        result.replaceChildren(el('div', {class: 'error', text: e.message}));
      } finally {
        $('console-run').disabled = false;
        entry.scrollIntoView({block: 'nearest'});
      }
    },
  };

  /**
   * Shows a console command's output in {@code container} as the session prints it (the job's event stream), and
   * resolves with the ended job. If the stream goes away, it reads the job every LIVE_POLL_MS instead.
   */
  function followCommand(id, container) {
    return new Promise((resolve, reject) => {
      const live = new LiveText('console-live');
      const path = '/api/jobs/' + encodeURIComponent(id);
      const show = () => {
        if (live.node.parentNode !== container) container.replaceChildren(live.node);
      };
      const poll = async () => {
        try {
          const job = await api(path);
          if (job.state === 'done') {
            resolve(job);
            return;
          }
          const running = (job.running || [])[0];
          if (running && running.output) {
            live.replace(running.output);
            show();
          }
          setTimeout(poll, LIVE_POLL_MS);
        } catch (e) {
          reject(e);
        }
      };
      const stream = new EventSource(streamUrl(path + '/events'));
      let ended = false;
      // Every (re)connection first sends what the command printed so far: start the text over.
      stream.addEventListener('open', () => live.replace(''));
      stream.addEventListener('output', (e) => {
        try {
          const piece = JSON.parse(e.data);
          live.append(piece.text, piece.skipped || 0);
        } catch (err) {
          return;
        }
        show();
      });
      stream.addEventListener('done', () => {
        ended = true;
        stream.close();
        api(path).then(resolve, reject);
      });
      stream.onerror = () => {
        if (!ended && stream.readyState === EventSource.CLOSED) {
          ended = true;
          poll();
        }
      };
    });
  }

  function kvRow(key, value) {
    let text;
    if (Array.isArray(value)) text = value.join(', ');
    else if (value !== null && typeof value === 'object') {
      text = Object.entries(value).map(([k, v]) => k + '=' + v).join('  ');
    } else text = value === null || value === undefined ? '' : String(value);
    return el('tr', {data: {key}}, el('th', {text: key}), el('td', {text}));
  }

  /** The output of an ok result, or the fault (code, message and traceback) of any other. */
  function resultNodes(r) {
    if (r.state === 'ok') {
      return [el('pre', {class: 'output', data: {testid: 'output'}, text: r.output === '' ? '(no output)' : r.output})];
    }
    if (r.state === 'pending') return [el('span', {class: 'muted', text: 'pending'})];
    return [el('div', {class: 'fault-head ' + r.state, text: r.state + (r.fault_code !== undefined ? ' · fault ' + r.fault_code : '')}),
      el('pre', {class: 'fault', data: {testid: 'fault'}, text: r.message || ''})];
  }

  // ---------------------------------------------------------------- broadcast, jobs

  const broadcast = {
    previewSeq: 0,
    targets: -1,
  };

  async function previewBroadcast() {
    const seq = ++broadcast.previewSeq;
    const selector = $('bc-selector').value.trim();
    const preview = $('bc-preview');
    try {
      const listing = await api('/api/sessions?selector=' + encodeURIComponent(selector));
      if (seq !== broadcast.previewSeq) return;
      broadcast.targets = listing.count;
      preview.dataset.count = String(listing.count);
      preview.className = 'preview';
      const shown = listing.sessions.slice(0, 6).map((s) => s.address).join(', ');
      preview.textContent = 'Will run in ' + plural(listing.count, 'session')
        + (listing.count ? ': ' + shown + (listing.count > 6 ? ', …' : '') : '.');
    } catch (e) {
      if (seq !== broadcast.previewSeq) return;
      broadcast.targets = -1;
      preview.dataset.count = '';
      preview.className = 'preview error';
      preview.textContent = e.message;
    }
    updateSendButton();
  }

  function updateSendButton() {
    const ok = broadcast.targets > 0 && $('bc-code').value.trim() !== '';
    $('bc-send').disabled = !ok;
    $('bc-send').textContent = broadcast.targets > 0 ? 'Send to ' + plural(broadcast.targets, 'session') : 'Send';
  }

  async function sendBroadcast() {
    const selector = $('bc-selector').value.trim();
    const code = $('bc-code').value;
    const timeout = Number($('bc-timeout').value) || 30;
    const body = {selector, code, timeout, wait: false};
    const batch = $('bc-batch').value.trim();
    if (batch) {
      body.batch = /^\d+$/.test(batch) ? Number(batch) : batch;
      body.batch_wait = Number($('bc-batch-wait').value) || 0;
      body.max_failures = Number($('bc-max-failures').value) || 0;
    }
    $('bc-send').disabled = true;
    showError($('bc-error'), '');
    try {
      const started = await api('/api/broadcast', {method: 'POST', body});
      location.hash = jobHref(started.id);
      refreshJobs();
    } catch (e) {
      showError($('bc-error'), e.message);
    } finally {
      updateSendButton();
    }
  }

  const jobView = {
    id: null,
    stream: null,
    targets: [],
    results: new Map(),  // address -> result
    live: new Map(),     // address -> LiveText, for targets still running
    done: false,
    pollTimer: 0,

    close() {
      if (this.stream) {
        this.stream.close();
        this.stream = null;
      }
      clearTimeout(this.pollTimer);
    },

    async open(id) {
      if (this.id === id && (this.stream || this.done)) return;
      this.close();
      this.id = id;
      this.done = false;
      this.results = new Map();
      this.live = new Map();
      this.targets = [];
      $('job-panel').hidden = false;
      $('job-id').textContent = id;
      showError($('job-error'), '');
      clear($('job-results').tBodies[0]);
      let job;
      try {
        job = await api('/api/jobs/' + encodeURIComponent(id));
      } catch (e) {
        if (this.id === id) showError($('job-error'), e.message);
        return;
      }
      if (this.id !== id) return;
      this.renderJob(job);
      if (!this.done) this.follow(id);
      markSelectedJob();
    },

    /** Appends a piece of a running target's output under its row (nothing once its result is in). */
    liveOutput(address, text, skipped) {
      if (!address || this.results.has(address)) return;
      this.liveText(address).append(text, skipped);
    },

    liveText(address) {
      let live = this.live.get(address);
      if (!live) {
        live = new LiveText('live-output');
        this.live.set(address, live);
      }
      const body = $('job-results').tBodies[0];
      let tr = body.querySelector('tr[data-address="' + CSS.escape(address) + '"]');
      if (!tr) {
        tr = this.row({address, state: 'pending'});
        body.append(tr);
      }
      const cell = tr.querySelector('td.result');
      if (live.node.parentNode !== cell) cell.replaceChildren(live.node);
      return live;
    },

    renderJob(job) {
      this.targets = job.targets || this.targets;
      $('job-meta').textContent = job.kind + ' · ' + (job.kind === 'route' ? 'session ' + job.selector
        : 'selector ' + (job.selector || '*')) + ' · ' + plural(job.target_count, 'target')
        + ' · timeout ' + millis(job.timeout_ms) + ' · created ' + ago(job.created_at)
        + (job.created_by ? ' by ' + job.created_by : '');
      $('job-code').textContent = job.code || '';
      const body = $('job-results').tBodies[0];
      for (const address of this.targets) {
        if (!body.querySelector('tr[data-address="' + CSS.escape(address) + '"]')) {
          body.append(this.row({address, state: 'pending'}));
        }
      }
      for (const r of job.results || []) this.setResult(r);
      if (!this.stream) {
        // No stream (it went away): a read of the job gives each running target's output so far.
        for (const running of job.running || []) {
          if (running.output && !this.results.has(running.address)) {
            this.liveText(running.address).replace(running.output);
          }
        }
      }
      this.targetCount = job.target_count;
      this.setState(job.state === 'done', job.counts);
    },

    row(r) {
      return el('tr', {data: {address: r.address, state: r.state, testid: 'job-result'}},
        el('td', {}, el('a', {href: sessionHref(r.address), text: r.address})),
        el('td', {}, el('span', {class: 'badge ' + r.state, text: r.state})),
        el('td', {class: 'num', text: r.state === 'pending' ? '' : millis(r.duration_ms)}),
        el('td', {class: 'result'}, ...resultNodes(r)));
    },

    setResult(r) {
      if (!r || !r.address) return;
      this.results.set(r.address, r);
      this.live.delete(r.address);
      const body = $('job-results').tBodies[0];
      const tr = this.row(r);
      const existing = body.querySelector('tr[data-address="' + CSS.escape(r.address) + '"]');
      if (existing) existing.replaceWith(tr);
      else body.append(tr);
    },

    counts() {
      const counts = {ok: 0, error: 0, timeout: 0, unreachable: 0, unknown: 0, cancelled: 0, skipped: 0};
      for (const r of this.results.values()) counts[r.state] = (counts[r.state] || 0) + 1;
      counts.pending = Math.max(0, (this.targetCount || this.targets.length) - this.results.size);
      return counts;
    },

    setState(done, serverCounts) {
      this.done = done;
      const counts = done && serverCounts ? serverCounts : this.counts();
      for (const span of $('job-counts').querySelectorAll('[data-count]')) {
        const n = counts[span.dataset.count] || 0;
        span.dataset.value = String(n);
        span.querySelector('b').textContent = String(n);
        span.classList.toggle('zero', n === 0);
      }
      const total = this.targetCount || 0;
      const finished = total - (counts.pending || 0);
      for (const bar of $('job-progress').children) {
        bar.style.width = (total ? 100 * (counts[bar.dataset.state] || 0) / total : 0) + '%';
      }
      $('job-cancel').hidden = done;
      const state = $('job-state');
      state.textContent = done ? 'done' : 'running ' + finished + '/' + total;
      state.dataset.state = done ? 'done' : 'running';
      state.className = 'badge ' + (done ? 'done' : 'running');
    },

    /**
     * Streams the job's results as they arrive, and running targets' output as they print it; after 'done', one
     * read of the whole job settles the counts.
     */
    follow(id) {
      const stream = new EventSource(streamUrl('/api/jobs/' + encodeURIComponent(id) + '/events'));
      this.stream = stream;
      // Every (re)connection first sends what running targets printed so far: start their text over.
      stream.addEventListener('open', () => {
        if (this.id === id) for (const live of this.live.values()) live.replace('');
      });
      stream.addEventListener('output', (e) => {
        if (this.id !== id) return;
        try {
          const piece = JSON.parse(e.data);
          this.liveOutput(piece.address, piece.text, piece.skipped || 0);
        } catch (err) {
          // not a piece of output
        }
      });
      stream.addEventListener('result', (e) => {
        if (this.id !== id) return;
        try {
          this.setResult(JSON.parse(e.data));
        } catch (err) {
          return;
        }
        this.setState(false);
      });
      stream.addEventListener('done', () => {
        stream.close();
        if (this.stream === stream) this.stream = null;
        this.settle(id);
      });
      stream.onerror = () => {
        if (stream.readyState === EventSource.CLOSED && this.id === id && !this.done) {
          this.stream = null;
          this.pollTimer = setTimeout(() => this.settle(id), 1000);
        }
      };
    },

    /** Cancels the open job through this hub (whichever hub coordinates it); the stream then reports the ends. */
    async cancel() {
      const id = this.id;
      if (!id) return;
      $('job-cancel').disabled = true;
      try {
        const job = await api('/api/jobs/' + encodeURIComponent(id), {method: 'DELETE'});
        if (this.id === id) this.renderJob(job);
      } catch (e) {
        if (this.id === id) showError($('job-error'), e.message);
      } finally {
        $('job-cancel').disabled = false;
      }
    },

    async settle(id) {
      try {
        const job = await api('/api/jobs/' + encodeURIComponent(id));
        if (this.id !== id) return;
        this.renderJob(job);
        if (!this.done) this.pollTimer = setTimeout(() => this.settle(id), 1000);
        else refreshJobs();
      } catch (e) {
        if (this.id === id) showError($('job-error'), e.message);
      }
    },
  };

  async function refreshJobs() {
    let listing;
    try {
      listing = await api('/api/jobs?limit=25');
    } catch (e) {
      return;
    }
    const body = clear($('jobs-list').tBodies[0]);
    for (const job of listing.jobs) {
      const counts = el('span', {class: 'mini-counts'});
      for (const state of ['ok', 'error', 'timeout', 'unreachable', 'unknown', 'cancelled', 'skipped', 'pending']) {
        const n = (job.counts || {})[state] || 0;
        if (n) counts.append(el('span', {class: 'badge ' + state, text: n + ' ' + state}));
      }
      body.append(el('tr', {data: {jobId: job.id, testid: 'job-row'}, onclick: () => {
        location.hash = jobHref(job.id);
      }},
      el('td', {}, el('a', {href: jobHref(job.id), text: job.id.slice(0, 8), title: job.id})),
      el('td', {text: job.kind}),
      el('td', {class: 'target', text: job.selector || '*'}),
      el('td', {class: 'created', text: ago(job.created_at), title: job.created_at}),
      el('td', {}, el('span', {class: 'badge ' + job.state, text: job.state})),
      el('td', {}, counts)));
    }
    $('jobs-empty').hidden = listing.jobs.length > 0;
    markSelectedJob();
  }

  function markSelectedJob() {
    for (const tr of $('jobs-list').tBodies[0].rows) {
      tr.classList.toggle('selected', tr.dataset.jobId === jobView.id);
    }
  }

  // ---------------------------------------------------------------- cluster

  async function refreshCluster() {
    let cluster;
    let sessions;
    try {
      [cluster, sessions] = await Promise.all([api('/api/cluster'), api('/api/sessions')]);
    } catch (e) {
      showError($('cluster-error'), e.message);
      return;
    }
    showError($('cluster-error'), '');
    const perHub = new Map();
    for (const s of sessions.sessions) perHub.set(s.hub, (perHub.get(s.hub) || 0) + 1);
    $('cluster-name').textContent = cluster.cluster;
    $('cluster-summary').textContent = plural(cluster.size, 'hub') + ' · state ' + cluster.state + ' · '
      + plural(sessions.count, 'session') + ' in the inventory';
    const body = clear($('cluster-members').tBodies[0]);
    for (const m of cluster.members) {
      const hosts = el('div', {class: 'hosts'}, el('b', {text: m.hosts_owned ?? 0}), ' ');
      for (const h of m.hosts || []) hosts.append(el('span', {class: 'tag', text: h}));
      if ((m.hosts || []).length < (m.hosts_owned || 0)) hosts.append(el('span', {class: 'muted', text: '…'}));
      if (m.hosts_silent) hosts.append(el('span', {class: 'muted', text: ' · ' + m.hosts_silent + ' silent',
        title: 'answered nothing last cycle (down or unplugged): ' + (m.silent_hosts || []).join(', ')}));
      body.append(el('tr', {data: {member: m.member, testid: 'cluster-member'}},
        el('td', {}, el('code', {text: String(m.member).slice(0, 8), title: m.member}),
          m.local ? el('span', {class: 'badge local', text: 'this hub'}) : null),
        el('td', {text: m.member_address || ''}),
        el('td', {}, m.http_url ? el('span', {text: m.http_url}) : el('span', {class: 'muted', text: '—'})),
        el('td', {}, hosts),
        el('td', {text: m.last_scan_at ? ago(m.last_scan_at) : 'not yet', title: m.last_scan_at || ''}),
        el('td', {class: 'num', text: millis(m.last_scan_ms)}),
        el('td', {class: 'num', text: m.ports_probed ?? ''}),
        el('td', {class: 'num', text: m.sessions_found ?? ''}),
        el('td', {class: 'num', data: {testid: 'hub-sessions'}, text: perHub.get(m.member) || 0})));
    }
  }

  /**
   * Why an address is or is not in the inventory, as this hub explains it (GET /api/diagnose/{address}: the same
   * causes and fixes as 'sessionhub doctor', from this hub's own probes; doctor also asks the other hubs).
   */
  async function diagnose() {
    const address = $('diagnose-address').value.trim();
    const list = clear($('diagnose-lines'));
    list.dataset.listed = '';
    if (!address) {
      showError($('diagnose-error'), 'give an address as host:port');
      return;
    }
    let answer;
    try {
      answer = await api('/api/diagnose/' + encodeURIComponent(address));
    } catch (e) {
      showError($('diagnose-error'), e.message);
      return;
    }
    showError($('diagnose-error'), '');
    list.dataset.listed = String(Boolean(answer.listed));
    for (const line of answer.explanation || []) {
      const colon = line.indexOf(': ');
      const kind = colon > 0 ? line.slice(0, colon) : '';
      list.append(el('li', {data: {kind, testid: 'diagnose-line'}},
        kind ? el('b', {text: kind + ': '}) : null, line.slice(colon > 0 ? colon + 2 : 0)));
    }
  }

  // ---------------------------------------------------------------- views and routing

  let clusterTimer = 0;
  let jobsTimer = 0;

  function show(view) {
    for (const section of document.querySelectorAll('main > .view')) {
      section.hidden = section.id !== 'view-' + view;
    }
    const tab = view === 'session' ? 'inventory' : view;
    for (const a of document.querySelectorAll('nav.tabs a')) {
      if (a.dataset.view === tab) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    clearInterval(clusterTimer);
    clearInterval(jobsTimer);
    if (view === 'cluster') {
      refreshCluster();
      clusterTimer = setInterval(refreshCluster, CLUSTER_REFRESH_MS);
    }
    if (view === 'broadcast') {
      refreshJobs();
      previewBroadcast();
      jobsTimer = setInterval(refreshJobs, RESYNC_MS);
    }
  }

  function route() {
    if (!started) return;
    const hash = location.hash.replace(/^#\/?/, '');
    const [head, ...rest] = hash.split('/');
    const arg = rest.length ? decodeURIComponent(rest.join('/')) : '';
    if (head === 'session' && arg) {
      show('session');
      if (sessionView.address !== arg || !sessionView.session) sessionView.open(arg);
      return;
    }
    sessionView.address = null;
    if (head === 'broadcast' || head === 'jobs') {
      show('broadcast');
      if (head === 'jobs' && arg) jobView.open(arg);
    } else if (head === 'cluster') {
      show('cluster');
    } else {
      show('inventory');
    }
  }

  /** Runs once the hub has accepted us (no token needed, or a token it took). */
  function start() {
    started = true;
    startLive();
    refreshInventory();
    route();
  }

  function wire() {
    $('selector').addEventListener('input', debounce(() => {
      inventory.selector = $('selector').value.trim();
      refreshInventory();
    }, DEBOUNCE_MS));
    $('job-cancel').addEventListener('click', () => jobView.cancel());
    $('inventory-broadcast').addEventListener('click', () => {
      $('bc-selector').value = $('selector').value;
      location.hash = '#/broadcast';
    });
    $('console-run').addEventListener('click', () => sessionView.run());
    $('console-code').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        sessionView.run();
      }
    });
    $('bc-selector').addEventListener('input', debounce(previewBroadcast, DEBOUNCE_MS));
    $('bc-code').addEventListener('input', updateSendButton);
    $('bc-send').addEventListener('click', sendBroadcast);
    $('jobs-refresh').addEventListener('click', refreshJobs);
    $('diagnose-form').addEventListener('submit', (e) => {
      e.preventDefault();
      diagnose();
    });
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault(); // never a real form submission: the token stays out of URLs and history
      submitToken();
    });
    $('token-dialog').addEventListener('cancel', (e) => e.preventDefault()); // nothing works without it
    window.addEventListener('hashchange', route);
    setInterval(tickLastSeen, 1000);
    setInterval(() => {
      if (started && events && document.visibilityState === 'visible') refreshInventory({fade: true});
    }, RESYNC_MS);
  }

  /** Finds out whether the hub wants a token; starts at once when it does not. */
  async function connect() {
    try {
      await api('/api/cluster');
      start();
    } catch (e) {
      if (e.status === 401) return; // api() opened the token prompt; start() runs once it is accepted
      setLive('down', 'hub unreachable');
      showError($('selector-error'), e.message);
      setTimeout(connect, 3000);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    wire();
    connect();
  });
})();
