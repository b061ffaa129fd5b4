// The analyst console page. Every value that comes from an event is put on the page with textContent (or a
// number formatted here), never parsed as HTML: an id like "<script>…" shows as text.
'use strict';

const state = {
  max: 500,          // the server says how many to keep (snapshot.maxAlerts)
  alerts: [],        // oldest first by scoring time (then arrival number), at most state.max
  seqs: new Set(),   // the arrival numbers of the alerts held
  verdicts: new Map(), // alert id -> [verdict, …]
  models: new Set(),
  tokenRequired: false,
  renderQueued: false,
  rows: new Map(),     // seq -> the <tr> shown for that alert (only alerts that pass the filters)
  errors: new Map(),   // alert id -> last write error
  sending: null,       // {seq, button} of the focused button whose verdict is being sent
};

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function fmt(x, digits) {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(digits);
}

// Every time the page shows is the analyst's local time in one format: the alert's scoring time (the list's order), a
// verdict's and a warning's. A creditcard alert showed its scoring time in UTC while verdicts and warnings were local,
// and a raw-event alert showed its payment's time in the time column while the list is in scoring order, so the column
// looked unsorted (a hunt); a raw payment's own time, as its producer wrote it, is shown under it, named.
function localTime(ms) {
  const d = new Date(ms);
  const p = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + ' ' + p(d.getHours()) + ':'
      + p(d.getMinutes()) + ':' + p(d.getSeconds());
}

function timeCell(a) {
  const td = el('td', 'time', a.scoredAtMs ? localTime(a.scoredAtMs) : '–');
  if (a.eventTime) td.appendChild(el('span', 'who', 'payment ' + paymentTime(String(a.eventTime))));
  return td;
}

// A raw payment's own wall-clock time, in either form the scorer takes: the handbook's "YYYY-MM-DDTHH:MM:SS", or the
// seconds since 1970 on that wall clock (no zone), which showed as "payment 1522540831" (a hunt). Years 1970 to 9999.
function paymentTime(t) {
  if (!/^\d{1,12}$/.test(t) || Number(t) > 253402300799) return t.replace('T', ' ');
  return new Date(Number(t) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function token() {
  // what the analyst typed wins over a token taken from the URL, which may be wrong
  return document.getElementById('token').value || sessionStorage.getItem('fraud-console-token') || '';
}

function takeTokenFromUrl() {
  // the rest of the address is the token: one with '&' in it (any printable Latin-1 is one) was cut there (a hunt)
  const m = /(?:^#|&)token=(.*)$/.exec(location.hash);
  if (m) {
    let value = m[1];
    try { value = decodeURIComponent(value); } catch (e) { /* not percent-encoded text: taken as it is */ }
    sessionStorage.setItem('fraud-console-token', value);
    history.replaceState(null, '', location.pathname + location.search);
  }
}

// A refused token is forgotten and the box shown again, so that a wrong one can be corrected.
function tokenRefused() {
  sessionStorage.removeItem('fraud-console-token');
  document.getElementById('token-box').hidden = false;
}

// Alerts are kept in scoring-time order, as the console keeps them: a restarted console reads the flagged topic
// partition by partition, so alerts do not arrive in time order. Returns whether the alert is held, and newest.
function older(x, y) {
  return (x.scoredAtMs - y.scoredAtMs) || (x.seq - y.seq);
}

function addAlert(a) {
  if (state.seqs.has(a.seq)) return {held: false};
  let i = state.alerts.length;
  while (i > 0 && older(a, state.alerts[i - 1]) < 0) i--;
  state.alerts.splice(i, 0, a);
  state.seqs.add(a.seq);
  while (state.alerts.length > state.max) {
    const gone = state.alerts.shift();
    state.seqs.delete(gone.seq);
    const tr = state.rows.get(gone.seq);
    if (tr) tr.remove();
    state.rows.delete(gone.seq);
    forget(gone);
  }
  const held = state.seqs.has(a.seq);
  for (const v of a.verdicts || []) addVerdict(v);
  if (!state.models.has(a.modelVersion)) {
    state.models.add(a.modelVersion);
    document.getElementById('filter-model').appendChild(el('option', null, a.modelVersion)).value = a.modelVersion;
  }
  return {held, newest: held && state.alerts[state.alerts.length - 1] === a};
}

// The page's memory is bounded like its list: a dropped alert takes its verdicts and errors with it (unless a newer
// alert has the same id).
function forget(gone) {
  if (!state.alerts.some(a => a.id === gone.id)) {
    state.verdicts.delete(gone.id);
    state.errors.delete(gone.id);
  }
  if (!state.alerts.some(a => a.modelVersion === gone.modelVersion)) dropModel(gone.modelVersion);
}

// The model filter offers the versions of the alerts held only: one option per version ever seen grew without
// bound (a flagged topic whose records each name another version).
function dropModel(version) {
  state.models.delete(version);
  const select = document.getElementById('filter-model');
  for (const o of [...select.options]) {
    if (o.value && o.value === version) {
      if (o.selected) queueRender(); // the filter falls back to all models: the table changes
      o.remove();
    }
  }
}

function addVerdict(v) {
  const list = state.verdicts.get(v.id) || [];
  // the same verdict twice (sent, then broadcast) is kept once; a verdict changed back is a new one
  if (!list.some(x => x.action === v.action && x.atMs === v.atMs && x.reviewer === v.reviewer)) list.push(v);
  list.sort((x, y) => x.atMs - y.atMs);
  state.verdicts.set(v.id, list);
  state.errors.delete(v.id);
}

function latestVerdict(id) {
  const list = state.verdicts.get(id);
  return list && list.length ? list[list.length - 1] : null;
}

function passes(a) {
  const model = document.getElementById('filter-model').value;
  const lo = parseFloat(document.getElementById('filter-min').value);
  const hi = parseFloat(document.getElementById('filter-max').value);
  const unreviewed = document.getElementById('filter-unreviewed').checked;
  return (!model || a.modelVersion === model)
      && (Number.isNaN(lo) || a.probability >= lo) && (Number.isNaN(hi) || a.probability <= hi)
      && (!unreviewed || !latestVerdict(a.id));
}

function bars(features) {
  const box = el('div', 'bars');
  const scale = Math.max(1e-12, ...features.map(f => Math.abs(f.contribution || 0)));
  for (const f of features) {
    box.appendChild(el('span', 'feature', f.feature));
    const bar = el('span', 'bar' + (f.contribution < 0 ? ' neg' : ''));
    bar.style.width = Math.round(80 * Math.abs(f.contribution || 0) / scale) + 'px';
    box.appendChild(bar);
    box.appendChild(el('span', 'contribution', fmt(f.contribution, 3)));
  }
  return box;
}

function verdictCell(a) {
  const td = el('td', 'verdict');
  const confirm = el('button', 'confirm', 'confirmed fraud');
  const alarm = el('button', 'false-alarm', 'false alarm');
  confirm.type = alarm.type = 'button';
  // For a screen reader: which alert each button is for (500 rows of buttons named alike), and which verdict stands,
  // read on the button that keeps the focus after Enter (the row's colour and a line of text said it only to the eye)
  const latest = latestVerdict(a.id);
  confirm.setAttribute('aria-label', 'confirmed fraud, alert ' + a.id);
  alarm.setAttribute('aria-label', 'false alarm, alert ' + a.id);
  confirm.setAttribute('aria-pressed', String(latest !== null && latest.action === 'confirmed_fraud'));
  alarm.setAttribute('aria-pressed', String(latest !== null && latest.action === 'false_alarm'));
  confirm.addEventListener('click', () => send(a, 'confirmed_fraud', confirm));
  alarm.addEventListener('click', () => send(a, 'false_alarm', alarm));
  td.append(confirm, alarm);
  for (const v of state.verdicts.get(a.id) || []) {
    const what = v.action === 'confirmed_fraud' ? 'confirmed fraud' : 'false alarm';
    td.appendChild(el('span', 'who', what + ' by ' + v.reviewer + ' at ' + localTime(v.atMs)));
  }
  if (state.errors.has(a.id)) {
    // read with the button that keeps the focus after the click: the refusal was only in sight
    const error = td.appendChild(el('span', 'error', state.errors.get(a.id)));
    error.id = 'verdict-error-' + a.seq;
    confirm.setAttribute('aria-describedby', error.id);
    alarm.setAttribute('aria-describedby', error.id);
  }
  return td;
}

const COLUMNS = ['scored', 'id', 'card', 'terminal', 'amount', 'probability', 'threshold', 'top features', 'model',
  'verdict'];

function row(a) {
  const tr = el('tr');
  tr.dataset.id = a.id;
  const v = latestVerdict(a.id);
  if (v) tr.className = v.action === 'confirmed_fraud' ? 'reviewed-fraud' : 'reviewed-ok';
  tr.append(timeCell(a), el('td', 'id', a.id), el('td', 'card', a.card ?? '–'),
      el('td', 'terminal', a.terminal ?? '–'), el('td', 'num amount', fmt(a.amount, 2)),
      el('td', 'num probability', fmt(a.probability, 4)), el('td', 'num threshold', fmt(a.threshold, 4)));
  const top = el('td', 'top');
  top.appendChild(bars(a.topFeatures || []));
  tr.append(top, el('td', 'model', a.modelVersion), verdictCell(a));
  // a narrow screen shows each alert as a card, each value named by its column (console.css)
  [...tr.children].forEach((td, i) => { td.dataset.label = COLUMNS[i]; });
  return tr;
}

// The table changes row by row (a new alert is prepended, a verdict replaces its alert's row, a dropped alert is
// removed), so a button under the analyst's pointer is not replaced by every alert that arrives. The whole table
// is rebuilt only for a snapshot or a change of filters.
function render() {
  state.renderQueued = false;
  const focused = focusedButton();
  state.rows.clear();
  const fresh = document.createDocumentFragment();
  for (let i = state.alerts.length - 1; i >= 0; i--) {
    const a = state.alerts[i];
    if (passes(a)) {
      const tr = row(a);
      state.rows.set(a.seq, tr);
      fresh.appendChild(tr);
    }
  }
  document.getElementById('alert-rows').replaceChildren(fresh);
  if (focused) refocus(state.rows.get(focused.seq), focused.button);
  shown();
}

// A row is replaced whenever its alert's verdicts change (this analyst's click, another's verdict, a snapshot): the
// button that had the keyboard focus went with it, and the focus fell back to the page's start, so a keyboard user
// lost their place in the list after every verdict. The focus goes to the same button of the row that replaces it.
function focusedButton() {
  const e = document.activeElement;
  const tr = e && e.tagName === 'BUTTON' ? e.closest('#alert-rows tr') : null;
  if (tr) {
    for (const [seq, r] of state.rows) if (r === tr) return {seq, button: e.className};
    return null;
  }
  // a button whose verdict is being sent is disabled, which takes the focus from it: the focus is still its until
  // the verdict is shown (the verdict's broadcast can come back before the answer to the click)
  return e === document.body ? state.sending : null;
}

function refocus(tr, button) {
  const b = tr && button ? tr.querySelector('button.' + button) : null;
  if (b) b.focus();
}

function queueRender() {
  if (!state.renderQueued) {
    state.renderQueued = true;
    requestAnimationFrame(render);
  }
}

function shown() {
  document.getElementById('shown').textContent = state.rows.size + ' of ' + state.alerts.length + ' alerts shown';
}

/** A new alert: one row on top, if it passes the filters. */
function showAlert(a) {
  if (state.renderQueued || !passes(a)) return shown();
  const tr = row(a);
  state.rows.set(a.seq, tr);
  document.getElementById('alert-rows').prepend(tr);
  shown();
}

/** The rows of one alert id again (its verdicts changed): replaced, or removed if it no longer passes. */
function refresh(id, focused) {
  if (state.renderQueued) return;
  focused = focused || focusedButton();
  for (const a of state.alerts) {
    const old = state.rows.get(a.seq);
    if (a.id !== id || !old) continue;
    const mine = focused && focused.seq === a.seq;
    if (passes(a)) {
      const tr = row(a);
      old.replaceWith(tr);
      state.rows.set(a.seq, tr);
      if (mine) refocus(tr, focused.button);
    } else {
      // filtered out now ("unreviewed only"): the focus moves on to the same button of the next alert listed
      const next = old.nextElementSibling || old.previousElementSibling;
      old.remove();
      state.rows.delete(a.seq);
      if (mine) refocus(next, focused.button);
    }
  }
  shown();
}

async function send(a, action, button) {
  const focused = document.activeElement === button ? {seq: a.seq, button: button.className} : null;
  if (focused) state.sending = focused;
  button.disabled = true; // which takes the focus away from it
  try {
    const headers = new Headers({'Content-Type': 'application/json', 'X-Fraud-Console': '1'});
    if (token()) headers.set('X-Console-Token', token()); // throws here for a token no browser can send
    const reviewer = document.getElementById('reviewer').value;
    localStorage.setItem('fraud-console-reviewer', reviewer);
    const r = await fetch('api/verdicts', {method: 'POST', headers, credentials: 'omit',
      body: JSON.stringify({id: a.id, seq: a.seq, action, reviewer})}).catch(() => null);
    // A console stopped or restarting read "not sent: TypeError: Failed to fetch", and a proxy's error page in front
    // of it "not sent: SyntaxError: Unexpected token '<' …": the browser's words for a verdict not saved (a hunt).
    const reply = r && await r.json().catch(() => null);
    if (!r) {
      state.errors.set(a.id, 'not saved: the console does not answer (stopped, restarting, or out of reach): '
          + 'give the verdict again once the page reads "live"');
    } else if (r.ok && reply && reply.action) {
      addVerdict(reply);
    } else {
      state.errors.set(a.id, (reply && reply.error) || ('not saved: HTTP ' + r.status + ' ' + r.statusText).trim());
    }
    if (r && r.status === 403 && /token/.test((reply && reply.error) || '')) tokenRefused();
  } catch (e) {
    state.errors.set(a.id, 'not sent: ' + e);
  }
  refresh(a.id, focused);
  if (focused && state.sending === focused) state.sending = null;
}

// The header's warning that a topic the console reads does not exist (/api/state's flaggedTopic, labelsTopic)
function topicWarning(id, topic, consequence, option) {
  const warning = document.getElementById(id);
  const missing = topic && !topic.exists ? topic : null;
  warning.hidden = !missing;
  warning.textContent = missing ? 'topic ' + missing.name + ' does not exist (since '
      + localTime(missing.missingSinceMs) + '): ' + consequence + '; is the console\'s ' + option + ' the scorer\'s?'
      : '';
}

function figures(s) {
  const set = (id, text) => { document.getElementById(id).textContent = text; };
  set('alerts-per-minute', s.alertsPerMinute);
  set('alerts-held', s.held);
  set('precision', fmt(s.precision, 3));
  set('reviewed', s.reviewed + ' (' + s.confirmed + ' fraud)');
  set('malformed', s.malformed);
  // why: the count alone left the analyst to guess (the reason was in /api/state only)
  const why = document.getElementById('malformed-reason');
  why.hidden = !s.lastMalformedReason;
  why.textContent = s.lastMalformedReason ? 'latest: ' + s.lastMalformedReason : '';
  why.title = s.lastMalformedReason || '';
  const history = document.getElementById('history-warning');
  const incomplete = s.verdictHistory && !s.verdictHistory.complete;
  history.hidden = !incomplete;
  history.textContent = incomplete ? 'verdicts before this start not all read: a reviewed alert may show as '
      + 'unreviewed (' + (s.verdictHistory.reason || 'unknown reason') + ')' : '';
  const kafka = document.getElementById('kafka-warning');
  const silent = s.kafka && !s.kafka.reachable ? s.kafka : null;
  kafka.hidden = !silent;
  kafka.textContent = silent ? 'Kafka not answering since ' + localTime(silent.unreachableSinceMs)
      + ': no new alerts, and verdicts cannot be written (' + (silent.reason || 'no answer') + ')' : '';
  topicWarning('flagged-warning', s.flaggedTopic, 'no alert can come until the scorer creates it', '--flagged-topic');
  topicWarning('labels-warning', s.labelsTopic, 'verdicts cannot be saved until it does', '--labels-topic');
  const sc = s.scorer || {};
  if (!sc.configured || !sc.ok) {
    // without a current scrape no figure of the scorer is shown: an old flag rate or model would read as current
    set('scorer-throughput', !sc.configured ? 'no --scorer-metrics' : (sc.error || 'unreachable'));
    set('scorer-flag-rate', '–');
    set('scorer-p99', '–');
    set('scorer-model', '–');
  } else {
    set('scorer-throughput', fmt(sc.eventsPerSecond, 0));
    set('scorer-flag-rate', sc.flagRate === null ? '–' : fmt(100 * sc.flagRate, 2) + ' %');
    set('scorer-p99', sc.latencyP99Ms === null ? '–' : fmt(sc.latencyP99Ms, 0) + ' ms');
    set('scorer-model', sc.modelVersion || '–');
  }
  prCurve(s.prCurve || []);
}

function prCurve(points) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.getElementById('pr-curve');
  const x = r => 12 + 100 * r;
  const y = p => 70 - 62 * p;
  const axis = document.createElementNS(NS, 'path');
  axis.setAttribute('class', 'axis');
  axis.setAttribute('d', `M${x(0)},${y(1)} L${x(0)},${y(0)} L${x(1)},${y(0)}`);
  const parts = [axis];
  const label = (tx, ty, text) => {
    const t = document.createElementNS(NS, 'text');
    t.setAttribute('x', tx); t.setAttribute('y', ty); t.textContent = text;
    parts.push(t);
  };
  label(x(1) - 14, 78, 'recall');
  label(0, y(1) + 2, '1');
  label(0, y(0), '0');
  if (points.length) {
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('class', 'curve');
    line.setAttribute('points', [[0, points[0][2]], ...points.map(p => [p[1], p[2]])]
        .map(([r, p]) => x(r).toFixed(1) + ',' + y(p).toFixed(1)).join(' '));
    parts.push(line);
  } else {
    label(x(0.25), y(0.5), 'no confirmed fraud yet');
  }
  svg.replaceChildren(...parts);
}

function connect() {
  const status = document.getElementById('connection');
  const source = new EventSource('events');
  source.addEventListener('open', () => { status.textContent = 'live'; status.className = 'status live'; });
  source.addEventListener('error', () => {
    status.textContent = 'reconnecting…';
    status.className = 'status down';
    // EventSource retries by itself after a dropped connection, but gives up for good after a refused one (a
    // non-200 answer, e.g. the console's limit of open streams): then this page opens a new one a little later.
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
  });
  source.addEventListener('snapshot', e => {
    const s = JSON.parse(e.data);
    if (state.instance !== s.instance) { // first connection, or the console restarted: its numbering starts again
      state.instance = s.instance;
      state.alerts = [];
      state.seqs.clear();
      state.verdicts.clear();
      state.errors.clear();
      for (const version of [...state.models]) dropModel(version);
    }
    state.max = s.maxAlerts;
    state.tokenRequired = s.tokenRequired;
    document.getElementById('token-box').hidden = !s.tokenRequired || !!sessionStorage.getItem('fraud-console-token');
    for (const a of s.alerts) {
      addAlert(a);
      for (const v of a.verdicts || []) addVerdict(v); // verdicts given while this page was disconnected
    }
    figures(s.stats);
    queueRender();
  });
  source.addEventListener('alert', e => {
    const a = JSON.parse(e.data);
    const added = addAlert(a);
    if (added.newest) {
      showAlert(a); // one row on top
    } else if (added.held) {
      queueRender(); // an older alert read late (a restart's re-read): in its place
    }
  });
  source.addEventListener('verdict', e => {
    const v = JSON.parse(e.data);
    if (state.alerts.some(a => a.id === v.id)) {
      addVerdict(v);
      refresh(v.id);
    }
  });
  source.addEventListener('stats', e => figures(JSON.parse(e.data)));
}

document.addEventListener('DOMContentLoaded', () => {
  takeTokenFromUrl();
  window.addEventListener('hashchange', () => { // the same page opened again with #token=…
    takeTokenFromUrl();
    document.getElementById('token-box').hidden = !state.tokenRequired || !!sessionStorage.getItem('fraud-console-token');
  });
  const saved = localStorage.getItem('fraud-console-reviewer');
  if (saved) document.getElementById('reviewer').value = saved;
  for (const id of ['filter-model', 'filter-min', 'filter-max', 'filter-unreviewed']) {
    document.getElementById(id).addEventListener('input', queueRender);
    document.getElementById(id).addEventListener('change', queueRender);
  }
  connect();
});
