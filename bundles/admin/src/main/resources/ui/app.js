/*
 * Maverick Handlers admin page: plain JavaScript, no build step. It polls the JSON API every second
 * (GET /handlers), keeps five minutes of figures per handler for its chart, builds each handler's
 * configuration form from its kind's metatype (GET /kinds), and writes only through the same API
 * the shell and scripts use.
 */
(function () {
  'use strict';

  var root = document.getElementById('maverick-admin');
  if (!root) {
    return;
  }
  var API = root.getAttribute('data-api') || '';
  var POLL_MS = 1000;
  var WINDOW_SECONDS = 300;
  var MASK = '********';
  var TOKEN_KEY = 'maverick.admin.token';

  var kinds = {};          // kind name -> kind view (with metatype)
  var cards = {};          // handler name -> card state
  var lastKindsLoad = 0;

  // ---- small DOM helpers ---------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (key === 'text') {
        node.textContent = value;
      } else if (key === 'className') {
        node.className = value;
      } else {
        node.setAttribute(key, value === true ? '' : String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function show(node, text, kind) {
    node.textContent = text || '';
    node.className = node.className.replace(/\b(error|ok)\b/g, '').trim() + (kind ? ' ' + kind : '');
  }

  // ---- the API -------------------------------------------------------------------------------

  function token() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || '';
    } catch (e) {
      return tokenInput.value;
    }
  }

  /** Calls the API; resolves to {status, body} for every HTTP answer, rejects only when unreachable. */
  function call(method, path, body) {
    var headers = { 'Accept': 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    // with admin_token set, every API request needs it, reads included
    if (token()) {
      headers['Authorization'] = 'Bearer ' + token();
    }
    return fetch(API + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin'
    }).then(function (response) {
      if (response.status === 204) {
        return { status: 204, body: null };
      }
      return response.text().then(function (text) {
        var parsed = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch (e) {
          parsed = { error: text };
        }
        if (response.status === 401 || response.status === 403) {
          tokenBox.classList.add('needed');
        }
        return { status: response.status, body: parsed };
      });
    });
  }

  function errorText(answer) {
    if (answer.body && answer.body.error) {
      return answer.body.error;
    }
    return 'HTTP ' + answer.status;
  }

  /** Reads what a person typed as an item: JSON when it parses, else plain text. */
  function parseItem(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return text;
    }
  }

  // ---- page skeleton -------------------------------------------------------------------------

  var liveNode = el('span', { className: 'live', 'aria-live': 'polite', text: 'connecting…' });
  var tokenInput = el('input', { type: 'password', id: 'admin-token', autocomplete: 'off',
    placeholder: 'admin token' });
  var tokenBox = el('label', { className: 'token', 'for': 'admin-token' }, ['Token', tokenInput]);
  tokenInput.value = token();
  tokenInput.addEventListener('change', function () {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, tokenInput.value);
    } catch (e) { /* private mode: the field itself is used */ }
    tokenBox.classList.remove('needed');
    poll();
  });

  var kindSelect = el('select', { name: 'kind', id: 'create-kind' });
  // the name rule is the core's (ConfigKeys); a bad name comes back as the server's 400 naming it
  var nameInput = el('input', { type: 'text', name: 'name', id: 'create-name', placeholder: 'new-handler',
    required: true });
  var configInput = el('textarea', { name: 'config', id: 'create-config', placeholder: 'key=value, one per line' });
  var createButton = el('button', { type: 'submit', className: 'primary', 'data-action': 'create', text: 'Create' });
  var createForm = el('form', { className: 'panel create', id: 'create-form' }, [
    el('h2', { text: 'New factory instance' }),
    el('label', {}, ['Kind', kindSelect]),
    el('label', {}, ['Name', nameInput]),
    el('label', {}, ['Configuration', configInput]),
    createButton
  ]);
  var message = el('p', { className: 'message', id: 'message', 'aria-live': 'polite' });
  var grid = el('div', { className: 'handlers', id: 'handlers' });
  var empty = el('div', { className: 'empty', text: 'No handlers are registered.' });

  if (!root.classList.contains('in-console')) {
    root.appendChild(el('div', { className: 'topbar' }, [el('h1', { text: 'Maverick Handlers' }), liveNode, tokenBox]));
  } else {
    root.appendChild(el('div', { className: 'topbar' }, [liveNode, tokenBox]));
  }
  root.appendChild(createForm);
  root.appendChild(message);
  root.appendChild(grid);

  createForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var config = {};
    var bad = null;
    configInput.value.split('\n').forEach(function (line) {
      var trimmed = line.trim();
      if (!trimmed) {
        return;
      }
      var at = trimmed.indexOf('=');
      if (at <= 0) {
        bad = trimmed;
        return;
      }
      config[trimmed.substring(0, at).trim()] = trimmed.substring(at + 1).trim();
    });
    if (bad) {
      show(message, '"' + bad + '" is not key=value', 'error');
      return;
    }
    createButton.disabled = true;
    call('POST', '/handlers', { kind: kindSelect.value, name: nameInput.value.trim(), config: config })
      .then(function (answer) {
        if (answer.status === 201 || answer.status === 202) {
          show(message, 'Created ' + nameInput.value.trim() + (answer.status === 202 ? ' (not running yet)' : ''), 'ok');
          nameInput.value = '';
          configInput.value = '';
          poll();
        } else {
          show(message, errorText(answer), 'error');
        }
      }, function () {
        show(message, 'The server cannot be reached.', 'error');
      }).then(function () {
        createButton.disabled = false;
      });
  });

  // ---- kinds ---------------------------------------------------------------------------------

  function loadKinds() {
    lastKindsLoad = Date.now();
    return call('GET', '/kinds').then(function (answer) {
      if (answer.status !== 200) {
        return;
      }
      var chosen = kindSelect.value;
      kinds = {};
      kindSelect.textContent = '';
      answer.body.forEach(function (kind) {
        kinds[kind.kind] = kind;
        kindSelect.appendChild(el('option', { value: kind.kind,
          text: kind.kind + (kind.factory_only ? ' (factory)' : '') }));
      });
      if (chosen && kinds[chosen]) {
        kindSelect.value = chosen;
      }
      Object.keys(cards).forEach(function (name) {
        var card = cards[name];
        if (!card.formBuilt && card.view) {
          buildForm(card, card.view);
        }
      });
    }, function () { /* reported by the poll */ });
  }

  // ---- handler cards -------------------------------------------------------------------------

  var COUNTERS = [
    ['fed_count', 'fed'], ['processed_count', 'processed'], ['dropped_count', 'dropped'], ['error_count', 'errors'],
    ['input_queue', 'input queue'], ['result_queue', 'result queue'], ['throughput', 'items/s'], ['in_flight', 'in flight']
  ];

  function createCard(view) {
    var card = { name: view.name, history: [], formBuilt: false, dirty: false, configJson: '' };
    var counters = el('dl', { className: 'counters' });
    card.stats = {};
    COUNTERS.forEach(function (counter) {
      var value = el('dd', { 'data-stat': counter[0], text: '–' });
      card.stats[counter[0]] = value;
      counters.appendChild(el('div', {}, [el('dt', { text: counter[1] }), value]));
    });
    card.stateNode = el('span', { className: 'state', 'data-field': 'state' });
    card.kindNode = el('span', { className: 'kind', 'data-field': 'kind' });
    card.deleteButton = el('button', { type: 'button', className: 'danger', 'data-action': 'delete', text: 'Delete',
      hidden: true });
    card.errorNode = el('div', { className: 'config-error', 'data-field': 'config_error', hidden: true });
    card.canvas = el('canvas', { className: 'chart', width: 360, height: 96,
      'aria-label': 'throughput and queue depth, last five minutes', role: 'img' });
    card.legend = el('div', { className: 'legend' });
    card.itemInput = el('input', { type: 'text', name: 'item', 'aria-label': 'item to feed',
      placeholder: 'item: JSON or text' });
    card.resultNode = el('output', { className: 'result', 'data-field': 'result' });
    var feedButton = el('button', { type: 'submit', className: 'primary', 'data-action': 'feed', text: 'Feed' });
    var generateButton = el('button', { type: 'button', 'data-action': 'generate', text: 'Generate' });
    var feedForm = el('form', { className: 'feed' }, [card.itemInput, feedButton, generateButton, card.resultNode]);
    card.fields = el('div', { className: 'fields' });
    card.formStatus = el('span', { className: 'form-status', 'data-field': 'form-status', 'aria-live': 'polite' });
    card.configForm = el('form', { className: 'config-form' }, [card.fields, el('div', { className: 'form-actions' }, [
      el('button', { type: 'submit', className: 'primary', 'data-action': 'save', text: 'Save' }), card.formStatus])]);
    card.details = el('details', { className: 'config' }, [el('summary', { text: 'Configuration' }), card.configForm]);
    card.node = el('section', { className: 'panel handler', 'data-handler': view.name }, [
      el('header', {}, [el('h2', { text: view.name }), card.kindNode, card.stateNode, el('span', { className: 'spacer' }),
        card.deleteButton]),
      card.errorNode, counters,
      el('div', { className: 'chart-wrap' }, [card.canvas, card.legend]),
      feedForm, card.details
    ]);

    feedForm.addEventListener('submit', function (event) {
      event.preventDefault();
      feed(card);
    });
    generateButton.addEventListener('click', function () {
      generate(card);
    });
    card.configForm.addEventListener('submit', function (event) {
      event.preventDefault();
      save(card);
    });
    card.configForm.addEventListener('input', function () {
      card.dirty = true;
    });
    card.deleteButton.addEventListener('click', function () {
      if (!card.deleteButton.classList.contains('armed')) {
        // a second click confirms; no modal dialog
        card.deleteButton.classList.add('armed');
        card.deleteButton.textContent = 'Confirm delete';
        setTimeout(function () {
          card.deleteButton.classList.remove('armed');
          card.deleteButton.textContent = 'Delete';
        }, 4000);
        return;
      }
      remove(card);
    });

    call('GET', '/handlers/' + encodeURIComponent(view.name) + '/history?seconds=' + WINDOW_SECONDS)
      .then(function (answer) {
        if (answer.status !== 200) {
          return;
        }
        var columns = answer.body.columns;
        var prefilled = [];
        var previous = null;
        answer.body.samples.forEach(function (row) {
          var sample = {};
          columns.forEach(function (column, i) {
            sample[column] = row[i];
          });
          var point = { t: sample.time * 1000, processed: sample.processed, queue: sample.input_queue, rate: 0 };
          if (previous && point.t > previous.t) {
            point.rate = Math.max(0, (point.processed - previous.processed) / ((point.t - previous.t) / 1000));
          }
          prefilled.push(point);
          previous = point;
        });
        card.history = prefilled.concat(card.history.filter(function (point) {
          return !previous || point.t > previous.t;
        }));
        draw(card);
      }, function () { /* the chart fills from polling */ });
    return card;
  }

  function updateCard(card, view) {
    card.view = view;
    var stats = view.stats;
    card.stateNode.textContent = view.state;
    card.stateNode.className = 'state ' + view.state;
    card.kindNode.textContent = view.kind;
    card.deleteButton.hidden = !view.factory;
    card.errorNode.hidden = !view.config_error;
    card.errorNode.textContent = view.config_error ? 'Last change rejected: ' + view.config_error : '';

    var now = Date.now();
    var last = card.history.length ? card.history[card.history.length - 1] : null;
    var point = { t: now, processed: stats.processed_count, queue: stats.input_queue_size, rate: 0 };
    if (last && now > last.t) {
      point.rate = Math.max(0, (point.processed - last.processed) / ((now - last.t) / 1000));
    }
    card.history.push(point);
    while (card.history.length && card.history[0].t < now - WINDOW_SECONDS * 1000) {
      card.history.shift();
    }

    setStat(card, 'fed_count', stats.fed_count + stats.generate_count + stats.produced_count);
    setStat(card, 'processed_count', stats.processed_count);
    setStat(card, 'dropped_count', stats.dropped_count, stats.dropped_count > 0);
    setStat(card, 'error_count', stats.error_count, stats.error_count > 0);
    setStat(card, 'input_queue', stats.input_queue_size + '/' + capacity(stats.input_queue_capacity));
    setStat(card, 'result_queue', stats.result_queue_size + '/' + capacity(stats.result_queue_capacity));
    setStat(card, 'throughput', point.rate.toFixed(1));
    setStat(card, 'in_flight', stats.in_flight);

    var configJson = JSON.stringify(view.config);
    if (!card.formBuilt || (configJson !== card.configJson && !card.dirty)) {
      buildForm(card, view);
    }
    draw(card);
  }

  function capacity(value) {
    return value === 0 ? '∞' : value;
  }

  function setStat(card, key, value, bad) {
    var node = card.stats[key];
    var text = String(value);
    if (node.textContent !== text) {
      node.textContent = text;
    }
    node.classList.toggle('bad', !!bad);
  }

  // ---- the chart (ui/chart.js) ---------------------------------------------------------------

  function draw(card) {
    window.MaverickChart.draw(card, WINDOW_SECONDS, el);
  }

  // ---- feed and generate ---------------------------------------------------------------------

  function itemBody(card) {
    return { item: parseItem(card.itemInput.value), extra: {} };
  }

  function showResult(card, text, isError) {
    card.resultNode.textContent = text;
    card.resultNode.classList.toggle('error', !!isError);
  }

  function feed(card) {
    var path = '/handlers/' + encodeURIComponent(card.name);
    showResult(card, 'feeding…');
    call('POST', path + '/feed', itemBody(card)).then(function (answer) {
      if (answer.status !== 200) {
        showResult(card, errorText(answer), true);
        return null;
      }
      if (!answer.body.accepted) {
        showResult(card, 'dropped: ' + answer.body.reason, true);
        return null;
      }
      showResult(card, 'accepted; waiting for the result…');
      return call('GET', path + '/result?timeout=5').then(function (result) {
        if (result.status === 200) {
          showResult(card, '→ ' + JSON.stringify(result.body.result));
        } else if (result.status === 204) {
          showResult(card, 'accepted; no result within 5 s');
        } else {
          showResult(card, errorText(result), true);
        }
      });
    }).catch(function () {
      showResult(card, 'The server cannot be reached.', true);
    });
  }

  function generate(card) {
    call('POST', '/handlers/' + encodeURIComponent(card.name) + '/generate', itemBody(card)).then(function (answer) {
      if (answer.status === 200) {
        showResult(card, '→ ' + JSON.stringify(answer.body.result));
      } else {
        showResult(card, errorText(answer), true);
      }
    }).catch(function () {
      showResult(card, 'The server cannot be reached.', true);
    });
  }

  function remove(card) {
    call('DELETE', '/handlers/' + encodeURIComponent(card.name)).then(function (answer) {
      if (answer.status === 200 || answer.status === 202) {
        show(message, 'Deleted ' + card.name, 'ok');
        poll();
      } else {
        show(message, errorText(answer), 'error');
      }
    });
  }

  // ---- the configuration form ----------------------------------------------------------------

  function attributeList(view) {
    var kind = kinds[view.kind];
    var attributes = kind && kind.metatype ? kind.metatype.attributes.slice() : [];
    var known = {};
    attributes.forEach(function (a) {
      known[a.id] = true;
    });
    // keys in force that the metatype does not describe (or every key, without a metatype)
    Object.keys(view.config).forEach(function (key) {
      if (!known[key] && key !== 'generate_results_callback') {
        var value = view.config[key];
        attributes.push({ id: key, name: key, description: '', cardinality: 0, secret: value === MASK,
          type: typeof value === 'boolean' ? 'boolean' : typeof value === 'number'
            ? (Number.isInteger(value) ? 'long' : 'double') : 'string' });
      }
    });
    return attributes;
  }

  function buildForm(card, view) {
    card.fields.textContent = '';
    card.inputs = {};
    attributeList(view).forEach(function (a) {
      var id = 'cfg-' + view.name + '-' + a.id;
      var current = view.config[a.id];
      var input;
      if (a.type === 'boolean' && a.cardinality === 0) {
        input = el('input', { type: 'checkbox', id: id, name: a.id });
        input.checked = current === true || current === 'true';
      } else if (a.options && a.cardinality === 0) {
        input = el('select', { id: id, name: a.id });
        if (current === undefined) {
          input.appendChild(el('option', { value: '', text: '(default)' }));
        }
        a.options.forEach(function (option) {
          input.appendChild(el('option', { value: option.value, text: option.label }));
        });
        input.value = current === undefined ? '' : String(current);
      } else {
        var numeric = ['integer', 'long', 'short', 'byte', 'double', 'float'].indexOf(a.type) >= 0 && a.cardinality === 0;
        input = el('input', {
          type: a.secret || a.type === 'password' ? 'password' : numeric ? 'number' : 'text',
          step: numeric ? (a.type === 'double' || a.type === 'float' ? 'any' : '1') : null,
          id: id, name: a.id, autocomplete: 'off',
          placeholder: a['default'] ? String(a['default'].join(',')) : ''
        });
        input.value = current === undefined || current === null ? ''
          : Array.isArray(current) ? current.join(',') : String(current);
      }
      input.setAttribute('data-initial', input.type === 'checkbox' ? String(input.checked) : input.value);
      card.inputs[a.id] = { input: input, attribute: a };
      card.fields.appendChild(el('label', { 'for': id, title: a.description || '', text: a.id }));
      card.fields.appendChild(input);
    });
    card.configJson = JSON.stringify(view.config);
    card.formBuilt = true;
    card.dirty = false;
  }

  function save(card) {
    var changes = {};
    Object.keys(card.inputs).forEach(function (key) {
      var entry = card.inputs[key];
      var input = entry.input;
      input.removeAttribute('aria-invalid');
      var value = input.type === 'checkbox' ? String(input.checked) : input.value;
      if (value === input.getAttribute('data-initial')) {
        return;
      }
      if (input.type === 'checkbox') {
        changes[key] = input.checked;
      } else if (value === '') {
        changes[key] = null; // back to the default
      } else if (input.type === 'number') {
        changes[key] = Number(value);
      } else {
        changes[key] = value;
      }
    });
    if (!Object.keys(changes).length) {
      show(card.formStatus, 'nothing changed');
      return;
    }
    show(card.formStatus, 'saving…');
    call('PUT', '/handlers/' + encodeURIComponent(card.name) + '/config', changes).then(function (answer) {
      if (answer.status === 200 || answer.status === 202) {
        card.dirty = false;
        var view = card.view;
        view.config = answer.body;
        buildForm(card, view);
        show(card.formStatus, answer.status === 200 ? 'saved' : 'stored; not applied yet', 'ok');
      } else {
        if (answer.body && answer.body.key && card.inputs[answer.body.key]) {
          card.inputs[answer.body.key].input.setAttribute('aria-invalid', 'true');
        }
        show(card.formStatus, errorText(answer), 'error');
      }
    }, function () {
      show(card.formStatus, 'The server cannot be reached.', 'error');
    });
  }

  // ---- polling -------------------------------------------------------------------------------

  var polling = false;

  function poll() {
    if (polling) {
      return;
    }
    polling = true;
    call('GET', '/handlers').then(function (answer) {
      if (answer.status !== 200) {
        liveNode.textContent = 'error: ' + errorText(answer);
        liveNode.classList.add('down');
        return;
      }
      liveNode.textContent = 'live · ' + answer.body.length + ' handler' + (answer.body.length === 1 ? '' : 's')
        + ' · updated ' + new Date().toLocaleTimeString();
      liveNode.classList.remove('down');
      var seen = {};
      var needKinds = Date.now() - lastKindsLoad > 15000;
      answer.body.forEach(function (view) {
        seen[view.name] = true;
        var card = cards[view.name];
        if (!card) {
          card = cards[view.name] = createCard(view);
          grid.appendChild(card.node);
        }
        if (!kinds[view.kind]) {
          needKinds = true;
        }
        updateCard(card, view);
      });
      Object.keys(cards).forEach(function (name) {
        if (!seen[name]) {
          grid.removeChild(cards[name].node);
          delete cards[name];
        }
      });
      if (!answer.body.length && !empty.parentNode) {
        grid.appendChild(empty);
      } else if (answer.body.length && empty.parentNode) {
        grid.removeChild(empty);
      }
      if (needKinds) {
        loadKinds();
      }
      handlerListeners.forEach(function (listener) {
        listener(answer.body);
      });
    }, function () {
      liveNode.textContent = 'the server cannot be reached; retrying';
      liveNode.classList.add('down');
    }).then(function () {
      polling = false;
    });
  }

  // the wires' part of the page (ui/wires.js) draws its graph from the same poll, with the same helpers
  var handlerListeners = [];
  window.MaverickAdmin = {
    el: el, show: show, call: call, errorText: errorText, root: root, before: grid,
    onHandlers: function (listener) {
      handlerListeners.push(listener);
    }
  };

  loadKinds().then(poll);
  setInterval(poll, POLL_MS);
})();
