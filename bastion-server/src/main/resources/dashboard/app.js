// Bastion dashboard: polls the admin API every 2 s and draws the last five minutes.
const POLL_MS = 2000;
const HISTORY = 150; // 5 minutes of 2-second samples
const history = [];
let previous = null;
let token = sessionStorage.getItem('bastion-token');

const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers['Authorization'] = 'Bearer ' + token;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    showLogin();
    throw new Error('unauthorized');
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function showLogin() {
  $('login').hidden = false;
  setStatus('sign in', false);
}

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('token').value;
  sessionStorage.setItem('bastion-token', token);
  $('login').hidden = true;
  refresh();
});

function setStatus(text, ok) {
  const s = $('status');
  s.textContent = text;
  s.className = 'pill ' + (ok ? 'ok' : 'bad');
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function renderBrokers(brokers) {
  const body = $('brokers').querySelector('tbody');
  body.replaceChildren();
  for (const b of brokers) {
    const row = document.createElement('tr');
    row.dataset.broker = b.id;
    cell(row, b.pool);
    cell(row, b.id);
    cell(row, b.host + ':' + b.port);
    cell(row, b.weight === b.configuredWeight ? b.weight : b.weight + ' (set; configured ' + b.configuredWeight + ')');
    const state = b.draining ? 'draining' : b.disabled ? 'disabled' : !b.healthy ? 'down' : b.ejected ? 'ejected' : 'up';
    cell(row, state, 'state-' + (state === 'ejected' ? 'down' : state === 'disabled' ? 'draining' : state));
    cell(row, b.sessions, 'sessions');
    cell(row, b.probeMillis == null ? '–' : b.probeMillis.toFixed(1) + ' ms');
    cell(row, b.source, 'source');
    cell(row, b.reportedConnections == null ? '–'
      : b.reportedConnections + (b.reportedCapacity == null ? '' : ' / ' + b.reportedCapacity), 'reported');
    cell(row, b.leaseExpires == null ? '–' : new Date(b.leaseExpires).toLocaleTimeString(), 'lease');
    const action = document.createElement('button');
    action.textContent = b.draining ? 'Undrain' : 'Drain';
    action.addEventListener('click', () => drain(b, !b.draining));
    row.appendChild(document.createElement('td')).appendChild(action);
    body.appendChild(row);
  }
}

async function drain(broker, on) {
  const path = `/api/pools/${encodeURIComponent(broker.pool)}/brokers/${encodeURIComponent(broker.id)}/${on ? 'drain' : 'undrain'}`;
  try {
    await api(path, { method: 'POST', body: '' });
  } catch (e) {
    alert('Could not ' + (on ? 'drain' : 'undrain') + ' ' + broker.id + ': ' + e.message);
  }
  refresh();
}

function renderPriority(rules) {
  $('priority-panel').hidden = rules.length === 0;
  const body = $('priority').querySelector('tbody');
  body.replaceChildren();
  for (const r of rules) {
    const row = document.createElement('tr');
    row.dataset.rule = r.rule;
    cell(row, r.rule);
    const pools = cell(row, '', 'pools');
    for (const p of r.pools) {
      const span = document.createElement('span');
      span.className = 'pool state-' + (p.state === 'up' ? 'up' : p.state === 'full' ? 'draining' : 'down')
        + (p.active ? ' active' : '');
      span.textContent = `${p.priority}. ${p.pool} (${p.state}`
        + (p.load == null ? '' : ', ' + Math.round(p.load * 100) + '%') + ')';
      pools.appendChild(span);
    }
    cell(row, r.active, 'active');
    cell(row, r.reason, 'reason');
    cell(row, r.sessionsOnLowerPools, 'lower');
    cell(row, r.returnInSeconds == null ? '–'
      : r.returnInSeconds > 0 ? `${r.pendingMovesBack} in ${r.returnInSeconds.toFixed(0)} s`
      : `${r.pendingMovesBack} now`, 'pending');
    cell(row, r.movedBack, 'moved');
    body.appendChild(row);
  }
}

function renderListeners(listeners) {
  const body = $('listeners').querySelector('tbody');
  body.replaceChildren();
  for (const l of listeners) {
    const row = document.createElement('tr');
    cell(row, l.name);
    cell(row, l.address);
    cell(row, l.open);
    cell(row, l.accepted);
    cell(row, l.refused);
    body.appendChild(row);
  }
}

function renderBlocklist(entries) {
  const body = $('blocklist').querySelector('tbody');
  body.replaceChildren();
  for (const e of entries) {
    const row = document.createElement('tr');
    cell(row, e.kind);
    cell(row, e.value);
    cell(row, e.reason);
    cell(row, e.expires ? new Date(e.expires).toLocaleString() : 'never');
    cell(row, e.source);
    const remove = document.createElement('button');
    remove.textContent = 'Remove';
    remove.addEventListener('click', () => unblock(e));
    row.appendChild(document.createElement('td')).appendChild(remove);
    body.appendChild(row);
  }
}

async function unblock(entry) {
  const query = `?kind=${encodeURIComponent(entry.kind)}&value=${encodeURIComponent(entry.value)}`;
  try {
    await api('/api/blocklist' + query, { method: 'DELETE' });
  } catch (e) {
    alert('Could not remove ' + entry.value + ': ' + e.message);
  }
  refresh();
}

$('block-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = { [$('block-kind').value]: $('block-value').value.trim() };
  if ($('block-reason').value.trim()) body.reason = $('block-reason').value.trim();
  if ($('block-ttl').value.trim()) body.ttl = $('block-ttl').value.trim();
  try {
    await api('/api/blocklist', { method: 'POST', body: JSON.stringify(body) });
    $('block-value').value = '';
  } catch (e) {
    alert('Could not block: ' + e.message);
  }
  refresh();
});

function renderEvents(events) {
  const body = $('events').querySelector('tbody');
  body.replaceChildren();
  for (const e of events.slice(0, 20)) {
    const row = document.createElement('tr');
    cell(row, new Date(e.time).toLocaleTimeString());
    cell(row, e.kind);
    cell(row, e.reason);
    cell(row, e.clientId || '–');
    cell(row, e.remoteAddress || '–');
    cell(row, e.detail || '');
    body.appendChild(row);
  }
}

function renderDetections(detections) {
  const body = $('detections').querySelector('tbody');
  body.replaceChildren();
  for (const d of detections.slice(0, 20)) {
    const row = document.createElement('tr');
    cell(row, new Date(d.time).toLocaleTimeString());
    cell(row, d.detector);
    cell(row, d.clientId || d.username || '–');
    cell(row, d.remoteIp || '–');
    cell(row, d.action + (d.blockSeconds ? ` (${d.blockSeconds} s)` : ''));
    cell(row, (d.because || []).join('; '));
    const actions = document.createElement('td');
    const target = d.clientId ? ['client-id', d.clientId] : d.username ? ['username', d.username] : ['ip', d.remoteIp];
    if (d.action !== 'observe' && target[1]) {
      const clear = document.createElement('button');
      clear.textContent = 'Clear';
      clear.addEventListener('click', async () => {
        try {
          await api(`/api/detections?${target[0]}=${encodeURIComponent(target[1])}`, { method: 'DELETE' });
        } catch (e) {
          alert('Could not clear: ' + e.message);
        }
        refresh();
      });
      actions.appendChild(clear);
    }
    row.appendChild(actions);
    body.appendChild(row);
  }
}

function line(points, max, cls) {
  if (points.length < 2) return '';
  const step = 600 / (HISTORY - 1);
  const offset = (HISTORY - points.length) * step;
  const d = points.map((v, i) => `${i ? 'L' : 'M'}${(offset + i * step).toFixed(1)},${(150 - (v / max) * 140).toFixed(1)}`).join(' ');
  return `<path class="${cls}" d="${d}"/>`;
}

function chart(svg, series) {
  const max = Math.max(1, ...series.flatMap((s) => s.points));
  const grid = [10, 80, 150].map((y) => `<line class="grid" x1="0" x2="600" y1="${y}" y2="${y}"/>`).join('');
  svg.innerHTML = grid + series.map((s) => line(s.points, max, s.cls)).join('') +
    `<text x="4" y="20">${Math.round(max)}</text>`;
}

function record(overview) {
  const now = Date.now();
  let rateIn = 0, rateOut = 0;
  if (previous) {
    const seconds = Math.max(0.001, (now - previous.at) / 1000);
    rateIn = Math.max(0, (overview.publishesIn - previous.publishesIn) / seconds);
    rateOut = Math.max(0, (overview.publishesOut - previous.publishesOut) / seconds);
  }
  previous = { at: now, publishesIn: overview.publishesIn, publishesOut: overview.publishesOut };
  history.push({ sessions: overview.sessions, rateIn, rateOut });
  if (history.length > HISTORY) history.shift();
  $('sessions').textContent = overview.sessions;
  $('rate-in').textContent = rateIn.toFixed(1);
  $('rate-out').textContent = rateOut.toFixed(1);
  $('events-total').textContent = overview.securityEvents;
  $('node').textContent = 'node ' + overview.node;
  chart($('chart-sessions'), [{ points: history.map((h) => h.sessions), cls: 'sessions' }]);
  chart($('chart-rates'), [
    { points: history.map((h) => h.rateIn), cls: 'in' },
    { points: history.map((h) => h.rateOut), cls: 'out' },
  ]);
}

function renderCluster(c) {
  $('cluster-summary').textContent = `${c.mode}${c.name ? ' · ' + c.name : ''} · ${c.members.length} member(s)` +
    ` · drains ${c.writable ? 'possible' : 'refused (quorum ' + c.quorum + ')'}` +
    (c.fingerprintMismatch ? ' · configuration mismatch' : '');
  const body = $('cluster').querySelector('tbody');
  body.replaceChildren();
  for (const m of c.members) {
    const row = document.createElement('tr');
    cell(row, (m.node || '?') + (m.self ? ' (this node)' : ''));
    cell(row, m.address || '–');
    cell(row, m.admin || '–');
    cell(row, m.fingerprint || '–', m.fingerprintMatches ? '' : 'bad');
    cell(row, !m.trusted ? 'untrusted' : m.fingerprintMatches ? 'ok' : 'other configuration', m.trusted && m.fingerprintMatches ? 'ok' : 'bad');
    body.appendChild(row);
  }
  const problems = $('cluster-problems');
  problems.replaceChildren();
  for (const p of c.problems) {
    const li = document.createElement('li');
    li.textContent = p;
    problems.appendChild(li);
  }
}

async function refreshCluster() {
  try {
    renderCluster(await api('/api/cluster'));
  } catch (e) {
    $('cluster-summary').textContent = e.message;
  }
}

async function refresh() {
  refreshCluster();
  try {
    const [overview, brokers, events, blocklist, priority, detections] = await Promise.all([
      api('/api/overview'), api('/api/brokers'), api('/api/events?limit=20'), api('/api/blocklist'),
      api('/api/priority'), api('/api/detections?limit=20'),
    ]);
    renderPriority(priority);
    renderBlocklist(blocklist.entries);
    record(overview);
    renderBrokers(brokers);
    renderListeners(overview.listeners);
    renderEvents(events.events);
    renderDetections(detections.detections);
    setStatus('live', true);
    document.body.dataset.loaded = 'true';
  } catch (e) {
    if (e.message !== 'unauthorized') setStatus('unreachable', false);
  }
}

refresh();
setInterval(refresh, POLL_MS);
