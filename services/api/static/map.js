// Sitrep map page: plain ES2020, no framework, no build step, no other host.
//
// Reads GET /v1/control (?as_of= for the past), GET /v1/alerts and
// GET /v1/control/{id}/history, and listens to GET /v1/alerts/stream (Server-Sent
// Events); without the stream it polls every 10 s. Every string from the API is
// put in the page with textContent or setAttribute, never parsed as markup.
'use strict';

(() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const POLL_MS = 10000;
  const STREAM_RETRY_MS = 60000;
  const MAX_ALERTS = 100;
  const SLIDER_MAX = 1000;
  const UNKNOWN_FILL = '#9aa0a6';
  const STATUSES = [
    ['held', 'held: asserted or corroborated control'],
    ['contested', 'contested: fighting inside, or control asserted by two sides'],
    ['claimed', 'claimed: only a party\u2019s own claim, unconfirmed'],
    ['disputed', 'disputed: a claim and a denial'],
    ['threatened', 'threatened: held, with an enemy advancing on or besieging it'],
    ['unknown', 'unknown'],
  ];

  const state = {
    places: [], // ControlState[] currently shown (live or as of)
    known: new Map(), // place id or name -> Place, every place seen: the map's extent
    alerts: [], // newest first
    alertIds: new Set(),
    asOf: null, // Date while replaying, null when live
    range: null, // {min: ms, max: ms} of known event times
    selected: null, // place id whose history is open
    outlines: null,
    fitKey: '',
    projection: null,
    controlSeq: 0,
    historySeq: 0,
    stream: null,
    streamOpenedOnce: false,
    pollTimer: null,
    streamOpen: false,
    refreshTimer: null,
    refreshTimer2: null,
    sliderTimer: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---------- building elements (text only through textContent / setAttribute)

  function h(tag, attrs = {}, text = null) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    if (text !== null && text !== undefined) node.textContent = String(text);
    return node;
  }

  function s(tag, attrs = {}) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && value !== undefined) node.setAttribute(name, String(value));
    }
    return node;
  }

  function safeUrl(url) {
    if (typeof url !== 'string' || url === '') return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch (_) {
      return null;
    }
  }

  const dateFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  const dayFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric',
  });

  function when(value) {
    if (!value) return '';
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) return String(value);
    // Most event times are days (precision "day"): no "00:00" for them.
    const midnight = date.getUTCHours() === 0 && date.getUTCMinutes() === 0;
    return midnight ? dayFormat.format(date) : `${dateFormat.format(date)} UTC`;
  }

  function timeNode(value) {
    return h('time', { datetime: value instanceof Date ? value.toISOString() : value }, when(value));
  }

  function words(value) {
    return String(value || '').replace(/_/g, ' ');
  }

  // ---------- colours: one per controller, kept for the page's lifetime
  //
  // A controller's colour is its id's hash into a palette of distinct colours (no
  // red: red rings mark threats); when two ids hash alike, the later in id order
  // takes the next free colour. Controllers seen together are assigned in id
  // order, so the same data gives the same colours on every load.

  const PALETTE = [
    '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22',
    '#393b79', '#f2c12e', '#7b4173', '#637939', '#0b6e4f', '#a6761d', '#6baed6', '#c49c94',
  ];
  const colours = new Map(); // controller key -> colour
  const taken = new Set();

  function actorKey(actor) {
    return String(actor.id || actor.name || '');
  }

  function hashOf(key) {
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = 0; i < key.length; i += 1) {
      hash ^= key.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  }

  function assignColours(actors) {
    const keys = [...new Set(actors.filter(Boolean).map(actorKey))].filter((k) => !colours.has(k)).sort();
    for (const key of keys) {
      const hash = hashOf(key);
      let colour = null;
      for (let i = 0; i < PALETTE.length && colour === null; i += 1) {
        const candidate = PALETTE[(hash + i) % PALETTE.length];
        if (!taken.has(candidate)) colour = candidate;
      }
      if (colour === null) {
        // More controllers than colours: a hue from the hash.
        colour = `hsl(${20 + (hash % 320)}, ${55 + ((hash >>> 9) % 25)}%, ${36 + ((hash >>> 17) % 16)}%)`;
      }
      taken.add(colour);
      colours.set(key, colour);
    }
  }

  function colourOf(actor) {
    if (!actor) return UNKNOWN_FILL;
    assignColours([actor]);
    return colours.get(actorKey(actor));
  }

  function fillOf(place) {
    return place.status === 'unknown' || !place.controller ? UNKNOWN_FILL : colourOf(place.controller);
  }

  // ---------- fetching

  async function getJson(url) {
    // no-cache: revalidate with the server (ETag / If-None-Match) every time.
    const response = await fetch(url, { cache: 'no-cache', headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      throw new Error('this API needs a token for reads (SITREP_API_TOKEN_FOR_READS); the page has none');
    }
    if (!response.ok) {
      throw new Error(`${url}: HTTP ${response.status}`);
    }
    return response.json();
  }

  function notice(text) {
    $('notice').textContent = text || '';
  }

  // ---------- projection: equirectangular, fitted to every place seen

  function placeKey(place) {
    return place.id || `name:${place.name}`;
  }

  function located(place) {
    return typeof place.lat === 'number' && typeof place.lon === 'number';
  }

  function fit(width, height) {
    let minLon = Infinity; let maxLon = -Infinity; let minLat = Infinity; let maxLat = -Infinity;
    for (const place of state.known.values()) {
      if (!located(place)) continue;
      minLon = Math.min(minLon, place.lon); maxLon = Math.max(maxLon, place.lon);
      minLat = Math.min(minLat, place.lat); maxLat = Math.max(maxLat, place.lat);
    }
    if (minLon === Infinity) {
      minLon = -170; maxLon = 170; minLat = -55; maxLat = 75;
    }
    // A margin around the places, and at least 3 degrees across, so that a single
    // place still shows its surroundings.
    const marginLon = Math.max((maxLon - minLon) * 0.2, (3 - (maxLon - minLon)) / 2, 0.5);
    const marginLat = Math.max((maxLat - minLat) * 0.2, (3 - (maxLat - minLat)) / 2, 0.5);
    minLon -= marginLon; maxLon += marginLon;
    minLat = Math.max(minLat - marginLat, -85); maxLat = Math.min(maxLat + marginLat, 85);
    const midLat = (minLat + maxLat) / 2;
    const k = Math.max(Math.cos((midLat * Math.PI) / 180), 0.2);
    const spanX = (maxLon - minLon) * k;
    const spanY = maxLat - minLat;
    const scale = Math.min(width / spanX, height / spanY);
    const cx = ((minLon + maxLon) / 2) * k;
    const cy = midLat;
    return {
      key: [minLon, maxLon, minLat, maxLat, width, height].map((v) => v.toFixed(3)).join(','),
      point(lon, lat) {
        return [width / 2 + (lon * k - cx) * scale, height / 2 - (lat - cy) * scale];
      },
      // the visible longitude/latitude box, to skip countries far outside it
      bounds: {
        west: (cx - width / 2 / scale) / k, east: (cx + width / 2 / scale) / k,
        south: cy - height / 2 / scale, north: cy + height / 2 / scale,
      },
    };
  }

  function ringBounds(ring) {
    let west = Infinity; let east = -Infinity; let south = Infinity; let north = -Infinity;
    for (let i = 0; i < ring.length; i += 2) {
      west = Math.min(west, ring[i]); east = Math.max(east, ring[i]);
      south = Math.min(south, ring[i + 1]); north = Math.max(north, ring[i + 1]);
    }
    return { west, east, south, north };
  }

  function overlaps(a, b) {
    return a.west <= b.east && a.east >= b.west && a.south <= b.north && a.north >= b.south;
  }

  function drawOutlines() {
    const group = $('outlines');
    group.replaceChildren();
    if (!state.outlines || !state.projection) return;
    const { point, bounds } = state.projection;
    for (const country of state.outlines) {
      const parts = [];
      for (const ring of country.rings) {
        if (!overlaps(ring.bounds, bounds)) continue;
        const coords = ring.points;
        let d = '';
        for (let i = 0; i < coords.length; i += 2) {
          const [x, y] = point(coords[i], coords[i + 1]);
          d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
        }
        parts.push(`${d}Z`);
      }
      if (parts.length === 0) continue;
      const path = s('path', { d: parts.join(''), 'data-country': country.name });
      const title = s('title');
      title.textContent = country.name;
      path.append(title);
      group.append(path);
    }
  }

  // ---------- markers and legend

  // The shape of a marker by status; its fill (the controller's colour) is set on
  // the marker group and inherited.
  function markerShape(status) {
    const nodes = [];
    if (status === 'contested') {
      nodes.push(s('path', { class: 'shape', d: 'M0,-9L9,0L0,9L-9,0Z' }));
    } else {
      nodes.push(s('circle', { class: 'shape', r: status === 'unknown' ? 5.5 : 7 }));
    }
    if (status === 'threatened') {
      nodes.push(s('circle', { class: 'ring', r: 11.5 }));
    }
    return nodes;
  }

  function drawMarkers() {
    const markers = $('markers');
    const labels = $('labels');
    markers.replaceChildren();
    labels.replaceChildren();
    if (!state.projection) return;
    const shown = state.places.filter((p) => located(p.place));
    // Draw the quiet ones first so that threatened and contested places sit on top.
    const order = { unknown: 0, held: 1, claimed: 2, disputed: 3, contested: 4, threatened: 5 };
    shown.sort((a, b) => (order[a.status] ?? 0) - (order[b.status] ?? 0));
    const candidates = [];
    for (const place of shown) {
      const [x, y] = state.projection.point(place.place.lon, place.place.lat);
      const fill = fillOf(place);
      const controller = place.controller ? place.controller.name : 'no one known';
      const marker = s('g', {
        class: place.place.id && place.place.id === state.selected ? 'marker selected' : 'marker',
        transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`,
        fill,
        color: fill,
        tabindex: 0,
        role: 'button',
        'data-place-id': place.place.id || '',
        'data-place-name': place.place.name,
        'data-status': place.status,
        'data-controller': place.controller ? place.controller.id || place.controller.name : '',
        'aria-label': `${place.place.name}: ${place.status}, ${controller}`,
      });
      const title = s('title');
      title.textContent = `${place.place.name} \u2014 ${place.status}, ${controller}`
        + (place.since ? ` since ${when(place.since)}` : '');
      marker.append(title, s('circle', { class: 'halo', r: 15, fill: 'none' }), ...markerShape(place.status));
      if (place.place.id) {
        marker.addEventListener('click', () => select(place.place.id));
        marker.addEventListener('keydown', (event) => {
          if (event.key === 'Enter' || event.key === ' ') select(place.place.id);
        });
      }
      markers.append(marker);
      candidates.push({ x, y, name: place.place.name, rank: order[place.status] ?? 0 });
    }
    drawLabels(labels, candidates);
    $('empty').hidden = state.places.length > 0;
  }

  // Names beside the markers, right or else left of them, leaving out a name that
  // would cover a marker or a name already placed (the marker's tooltip has it). The
  // more pressing statuses are placed first.
  function drawLabels(group, candidates) {
    // The markers themselves are obstacles too.
    const placed = candidates.map(({ x, y }) => ({ x0: x - 8, x1: x + 8, y0: y - 8, y1: y + 8 }));
    const width = (name) => name.length * 6.3 + 2;
    const collides = (box) => placed.some((o) => box.x0 < o.x1 && box.x1 > o.x0 && box.y0 < o.y1 && box.y1 > o.y0);
    candidates.sort((a, b) => b.rank - a.rank);
    for (const { x, y, name } of candidates) {
      const w = width(name);
      const right = { x0: x + 10, x1: x + 10 + w, y0: y - 7, y1: y + 7, anchor: 'start', tx: x + 12 };
      const left = { x0: x - 10 - w, x1: x - 10, y0: y - 7, y1: y + 7, anchor: 'end', tx: x - 12 };
      const box = [right, left].find((b) => !collides(b));
      if (!box) continue;
      placed.push(box);
      const label = s('text', { x: box.tx.toFixed(1), y: (y + 4).toFixed(1), 'text-anchor': box.anchor });
      label.textContent = name;
      group.append(label);
    }
  }

  function swatch(fill, status = 'held') {
    const icon = s('svg', { width: 26, height: 26, viewBox: '-13 -13 26 26', class: 'swatch', 'aria-hidden': 'true' });
    const marker = s('g', { class: 'marker', fill, color: fill, 'data-status': status });
    marker.append(...markerShape(status));
    icon.append(marker);
    return icon;
  }

  function drawLegend() {
    const counts = new Map();
    for (const place of state.places) {
      if (!place.controller || place.status === 'unknown') continue;
      const id = place.controller.id || place.controller.name;
      const entry = counts.get(id) || { actor: place.controller, count: 0 };
      entry.count += 1;
      counts.set(id, entry);
    }
    const list = $('legend-controllers');
    list.replaceChildren();
    const entries = [...counts.entries()].sort((a, b) => a[1].actor.name.localeCompare(b[1].actor.name));
    for (const [id, { actor, count }] of entries) {
      const colour = colourOf(actor);
      const item = h('li', { 'data-controller': id, 'data-colour': colour });
      item.append(swatch(colour), h('span', { class: 'name' }, actor.name), h('span', { class: 'count' }, count));
      list.append(item);
    }
    if (entries.length === 0) list.append(h('li', { class: 'muted' }, 'none yet'));
  }

  function drawStatusLegend() {
    const list = $('legend-status');
    for (const [status, text] of STATUSES) {
      const item = h('li', { 'data-status': status, title: text });
      item.append(swatch(status === 'unknown' ? UNKNOWN_FILL : '#7d8a96', status), h('span', {}, status));
      list.append(item);
    }
  }

  // ---------- the view

  function remember(places) {
    let grew = false;
    for (const current of places) {
      const key = placeKey(current.place);
      if (!state.known.has(key)) {
        state.known.set(key, current.place);
        grew = true;
      }
    }
    return grew;
  }

  function layout(force = false) {
    const box = $('map').getBoundingClientRect();
    if (box.width < 10 || box.height < 10) return;
    const projection = fit(box.width, box.height);
    if (!force && state.projection && projection.key === state.fitKey) return;
    state.projection = projection;
    state.fitKey = projection.key;
    drawOutlines();
  }

  function extendRange(times) {
    const values = times.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
    if (values.length === 0) return;
    const min = Math.min(...values);
    const max = Math.max(...values);
    if (!state.range) {
      state.range = { min, max };
    } else {
      state.range = { min: Math.min(state.range.min, min), max: Math.max(state.range.max, max) };
    }
    drawSliderEnds();
  }

  function renderControl(body) {
    state.places = body.places || [];
    remember(state.places);
    assignColours(state.places.flatMap((p) => [p.controller, p.previous_controller]));
    if (!state.asOf) {
      extendRange(state.places.flatMap((p) => [p.since, p.updated_at]).filter(Boolean));
    }
    layout();
    drawMarkers();
    drawLegend();
    drawSummary();
    if (state.selected) drawSelectedState();
  }

  function drawSummary() {
    const controllers = new Set(state.places.filter((p) => p.controller).map((p) => p.controller.id || p.controller.name));
    const unplaced = state.places.filter((p) => !located(p.place)).length;
    let text = `${state.places.length} places \u00b7 ${controllers.size} controllers`;
    if (unplaced) text += ` \u00b7 ${unplaced} without coordinates`;
    $('summary').textContent = text;
    const mode = $('mode');
    mode.setAttribute('data-mode', state.asOf ? 'replay' : 'live');
    mode.textContent = state.asOf ? `As of ${when(state.asOf)}` : 'Live';
  }

  async function fetchControl() {
    const seq = ++state.controlSeq;
    const url = state.asOf ? `/v1/control?as_of=${encodeURIComponent(state.asOf.toISOString())}` : '/v1/control';
    try {
      const body = await getJson(url);
      if (seq !== state.controlSeq) return; // a newer request was made meanwhile
      renderControl(body);
      notice('');
    } catch (error) {
      if (seq === state.controlSeq) notice(`could not read the view (${error.message}); retrying`);
    }
  }

  // After an alert: the view soon, and once more a little later, as the view's
  // own record may reach the API after the alert did.
  function scheduleControlRefresh() {
    clearTimeout(state.refreshTimer);
    clearTimeout(state.refreshTimer2);
    state.refreshTimer = setTimeout(fetchControl, 300);
    state.refreshTimer2 = setTimeout(fetchControl, 2500);
  }

  // ---------- alerts

  function alertItem(alert, fresh) {
    const item = h('li', {
      class: fresh ? 'alert fresh' : 'alert',
      tabindex: 0,
      'data-alert-id': alert.alert_id,
      'data-place-id': alert.place && alert.place.id ? alert.place.id : '',
      'data-kind': alert.kind,
      'data-severity': alert.severity,
    });
    const head = h('div', { class: 'head' });
    head.append(h('span', { class: 'sev' }, alert.severity), h('span', { class: 'kind' }, words(alert.kind)),
      timeNode(alert.occurred_at));
    item.append(head, h('div', { class: 'message' }, alert.message));
    const placeId = alert.place && alert.place.id;
    if (placeId) {
      item.addEventListener('click', () => select(placeId));
      item.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') select(placeId);
      });
    }
    return item;
  }

  // `alerts` newest first; `fresh` ones came live and go on top.
  function addAlerts(alerts, fresh) {
    const list = $('alerts');
    const added = alerts.filter((a) => a && a.alert_id && !state.alertIds.has(a.alert_id));
    if (added.length === 0) return;
    for (const alert of added) state.alertIds.add(alert.alert_id);
    if (fresh || state.alerts.length === 0) {
      state.alerts = [...added, ...state.alerts];
      list.prepend(...added.map((a) => alertItem(a, fresh)));
    } else {
      state.alerts = [...state.alerts, ...added];
      list.append(...added.map((a) => alertItem(a, false)));
    }
    while (state.alerts.length > MAX_ALERTS) {
      const dropped = state.alerts.pop();
      state.alertIds.delete(dropped.alert_id);
      list.lastElementChild.remove();
    }
    $('no-alerts').hidden = state.alerts.length > 0;
    extendRange(added.map((a) => a.occurred_at));
  }

  async function fetchAlerts() {
    try {
      const body = await getJson(`/v1/alerts?limit=${MAX_ALERTS}`);
      // On a refresh, the ones not seen yet are newer than what is shown.
      addAlerts(body.alerts || [], state.alerts.length > 0);
    } catch (error) {
      notice(`could not read the alerts (${error.message}); retrying`);
    }
  }

  // ---------- history of one place

  function select(placeId) {
    state.selected = placeId;
    for (const marker of document.querySelectorAll('#markers .marker')) {
      marker.classList.toggle('selected', marker.getAttribute('data-place-id') === placeId);
    }
    for (const item of document.querySelectorAll('#alerts .alert')) {
      item.classList.toggle('selected', item.getAttribute('data-place-id') === placeId);
    }
    $('history-pane').hidden = false;
    $('history-pane').setAttribute('data-place-id', placeId);
    drawSelectedState();
    loadHistory(placeId);
  }

  function closeHistory() {
    state.selected = null;
    state.historySeq += 1;
    $('history-pane').hidden = true;
    for (const marker of document.querySelectorAll('#markers .marker.selected')) marker.classList.remove('selected');
  }

  function drawSelectedState() {
    const current = state.places.find((p) => p.place.id === state.selected);
    const known = state.known.get(state.selected);
    const title = $('history-title');
    const line = $('history-state');
    line.replaceChildren();
    const place = current ? current.place : known;
    title.textContent = place ? `${place.name}${place.country ? ` (${place.country})` : ''}` : state.selected;
    if (!current) {
      line.textContent = state.asOf ? 'No state yet at the time shown.' : '';
      return;
    }
    line.append(h('span', { class: 'status', 'data-status': current.status }, current.status), ' ');
    if (current.controller) {
      line.append(swatch(fillOf(current), current.status), ' ', h('strong', {}, current.controller.name));
    }
    if (current.since) line.append(' since ', timeNode(current.since));
    line.append(` \u00b7 confidence ${Math.round((current.confidence || 0) * 100)}%`);
  }

  function eventItem(provenanced) {
    const event = provenanced.event;
    const item = h('li', { class: 'event', 'data-event-id': event.event_id });
    item.append(h('blockquote', {}, event.evidence ? event.evidence.sentence : ''));
    const meta = h('div', { class: 'meta' });
    let who = `${words(event.action)} by ${event.actor ? event.actor.name : '?'}`;
    if (event.counterpart) who += ` (from ${event.counterpart.name})`;
    meta.append(h('span', { class: 'what' }, who), ' \u00b7 ');
    const source = event.attributed_to
      ? `${event.stance}, source: ${event.attributed_to.name} (${words(event.attributed_to.kind)})`
      : `${event.stance}, source: the article`;
    meta.append(h('span', { class: 'source' }, source));
    if (event.occurred_at) {
      meta.append(' \u00b7 ', h('span', { class: 'occurred' },
        event.occurred_at.text ? `${event.occurred_at.text}: ${dayFormat.format(new Date(event.occurred_at.start))}`
          : dayFormat.format(new Date(event.occurred_at.start))));
    }
    item.append(meta);
    const article = provenanced.article;
    if (article) {
      const line = h('div', { class: 'meta article' });
      const label = article.title || article.url || `article ${article.article_id.slice(0, 12)}`;
      const href = safeUrl(article.url);
      const link = href
        ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, label)
        : h('span', { class: 'title' }, label);
      line.append(link);
      if (article.outlet) line.append(' \u2014 ', h('span', { class: 'outlet' }, article.outlet));
      if (article.published_at) line.append(', ', timeNode(article.published_at));
      item.append(line);
    }
    return item;
  }

  function changeItem(entry) {
    const change = entry.change;
    const after = change.state;
    const item = h('li', { class: 'change', 'data-status': after.status, 'data-at': change.at });
    if (state.asOf && Date.parse(change.at) > state.asOf.getTime()) item.classList.add('later');
    const head = h('div', { class: 'head' });
    head.append(timeNode(change.at), h('span', { class: 'status', 'data-status': after.status }, after.status));
    if (after.controller) {
      head.append(swatch(fillOf(after), after.status), h('strong', {}, after.controller.name));
    }
    if (after.previous_controller) head.append(h('span', { class: 'muted-inline' }, `from ${after.previous_controller.name}`));
    item.append(head);
    const events = h('ul');
    events.append(...(entry.events || []).map(eventItem));
    item.append(events);
    return item;
  }

  async function loadHistory(placeId) {
    const seq = ++state.historySeq;
    const list = $('history');
    list.replaceChildren(h('li', { class: 'muted' }, 'loading\u2026'));
    try {
      const body = await getJson(`/v1/control/${encodeURIComponent(placeId)}/history`);
      if (seq !== state.historySeq) return;
      const changes = [...(body.changes || [])].reverse(); // newest first
      list.replaceChildren(...changes.map(changeItem));
      if (changes.length === 0) list.append(h('li', { class: 'muted' }, 'no changes recorded'));
      extendRange(changes.map((c) => c.change.at));
    } catch (error) {
      if (seq === state.historySeq) list.replaceChildren(h('li', { class: 'muted' }, `no history: ${error.message}`));
    }
  }

  // ---------- time slider

  function drawSliderEnds() {
    if (!state.range) return;
    $('slider-start').textContent = dayFormat.format(new Date(state.range.min));
    $('slider-end').textContent = dayFormat.format(new Date(state.range.max));
    if (state.asOf) $('slider').value = String(sliderValue(state.asOf));
  }

  function sliderTime(value) {
    const { min, max } = state.range;
    return new Date(min + ((max - min) * Number(value)) / SLIDER_MAX);
  }

  function sliderValue(date) {
    const { min, max } = state.range;
    if (max <= min) return SLIDER_MAX;
    return Math.round(((date.getTime() - min) / (max - min)) * SLIDER_MAX);
  }

  function onSlide(immediate) {
    if (!state.range) return;
    const value = Number($('slider').value);
    if (value >= SLIDER_MAX) {
      goLive();
      return;
    }
    const at = sliderTime(value);
    at.setUTCSeconds(0, 0);
    state.asOf = at;
    $('as-of').textContent = when(at);
    $('live').disabled = false;
    drawSummary();
    clearTimeout(state.sliderTimer);
    state.sliderTimer = setTimeout(() => {
      fetchControl();
      if (state.selected) loadHistory(state.selected);
    }, immediate ? 0 : 200);
  }

  function goLive() {
    clearTimeout(state.sliderTimer);
    state.asOf = null;
    $('slider').value = String(SLIDER_MAX);
    $('as-of').textContent = 'live';
    $('live').disabled = true;
    drawSummary();
    fetchControl();
    if (state.selected) loadHistory(state.selected);
  }

  // ---------- live updates: the SSE stream, or polling without it

  function setConnection(mode, text) {
    const badge = $('connection');
    badge.setAttribute('data-state', mode);
    badge.textContent = text;
  }

  // Polling runs always: the alerts when the stream is not open, the view when
  // live (an ETag makes an unchanged view a 304), since a view can trail its alert.
  function startPolling() {
    if (state.pollTimer !== null) return;
    state.pollTimer = setInterval(() => {
      if (!state.streamOpen) fetchAlerts();
      if (!state.asOf) fetchControl();
    }, POLL_MS);
  }

  function connectStream() {
    if (typeof EventSource === 'undefined') {
      setConnection('polling', `polling every ${POLL_MS / 1000} s`);
      return;
    }
    const stream = new EventSource('/v1/alerts/stream');
    state.stream = stream;
    stream.addEventListener('open', () => {
      setConnection('live', 'live stream');
      state.streamOpen = true;
      // After a gap (a new connection, not the browser's own resume), catch up.
      if (state.streamOpenedOnce) {
        fetchAlerts();
        if (!state.asOf) fetchControl();
      }
      state.streamOpenedOnce = true;
    });
    stream.addEventListener('alert', (message) => {
      let alert;
      try {
        alert = JSON.parse(message.data);
      } catch (_) {
        return;
      }
      addAlerts([alert], true);
      scheduleControlRefresh();
      if (state.selected && alert.place && alert.place.id === state.selected) loadHistory(state.selected);
    });
    stream.addEventListener('error', () => {
      state.streamOpen = false;
      if (stream.readyState === EventSource.CLOSED) {
        // The stream is not there (or refused us): poll, and try it again later.
        setConnection('polling', `polling every ${POLL_MS / 1000} s`);
        state.stream = null;
        setTimeout(connectStream, STREAM_RETRY_MS);
      } else {
        setConnection('reconnecting', 'reconnecting\u2026');
      }
    });
  }

  // ---------- start

  async function loadOutlines() {
    try {
      const body = await getJson('/static/countries.json');
      state.outlines = (body.countries || []).map((country) => ({
        name: country.name,
        rings: country.rings.map((points) => ({ points, bounds: ringBounds(points) })),
      }));
      layout(true);
      drawMarkers();
    } catch (error) {
      notice(`no country outlines (${error.message})`);
    }
  }

  function start() {
    drawStatusLegend();
    $('slider').addEventListener('input', () => onSlide(false));
    $('slider').addEventListener('change', () => onSlide(true));
    $('live').addEventListener('click', goLive);
    $('history-close').addEventListener('click', closeHistory);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') closeHistory();
    });
    let resizeTimer = null;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        layout(true);
        drawMarkers();
      }, 100);
    });
    Promise.all([loadOutlines(), fetchControl(), fetchAlerts()]).then(() => {
      document.body.setAttribute('data-loaded', 'true');
    });
    startPolling();
    connectStream();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
