/*
 * Maverick Handlers admin page, wires: draws the graph (handlers as nodes, wires as edges with
 * their live delivery rate and buffer fill), lists the wires, and adds or removes one, through
 * the same JSON API (GET/POST /wires, DELETE /wires/{name}). It runs after ui/app.js, from whose
 * poll it learns the handlers; without the wire bundle it says that wires are not installed.
 */
(function () {
  'use strict';

  var admin = window.MaverickAdmin;
  if (!admin) {
    return;
  }
  var el = admin.el;
  var SVG = 'http://www.w3.org/2000/svg';
  var NODE_W = 130;
  var NODE_H = 34;
  var COLUMN = 220;
  var ROW = 64;

  var previous = {};       // "wire/target" -> {delivered, at}: for rates
  var loading = false;
  var armedUntil = {};     // wire name -> until when a click on its Remove button confirms

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') {
        node.textContent = attrs[key];
      } else {
        node.setAttribute(key, String(attrs[key]));
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(child);
    });
    return node;
  }

  // ---- the section ---------------------------------------------------------------------------

  var graph = svg('svg', { id: 'wire-graph', role: 'img', 'aria-label': 'handlers and the wires between them',
    width: 400, height: 80 });
  var list = el('table', { className: 'wire-list', id: 'wire-list' });
  var status = el('p', { className: 'message', id: 'wire-message', 'aria-live': 'polite' });
  var nameInput = el('input', { type: 'text', name: 'name', id: 'wire-name', placeholder: 'new-wire', required: true });
  var fromSelect = el('select', { name: 'from', id: 'wire-from' });
  var toInput = el('input', { type: 'text', name: 'to', id: 'wire-to', placeholder: 'target, another', required: true });
  var filterInput = el('input', { type: 'text', name: 'filter', id: 'wire-filter', placeholder: '(partial=false)' });
  var selectInput = el('input', { type: 'text', name: 'select', id: 'wire-select', placeholder: 'data' });
  var policySelect = el('select', { name: 'policy', id: 'wire-policy' }, ['block', 'drop_newest', 'drop_oldest']
    .map(function (policy) {
      return el('option', { value: policy, text: policy });
    }));
  var addButton = el('button', { type: 'submit', className: 'primary', 'data-action': 'add-wire', text: 'Add wire' });
  var form = el('form', { className: 'wire-form', id: 'wire-form' }, [
    el('label', {}, ['Name', nameInput]), el('label', {}, ['From', fromSelect]), el('label', {}, ['To', toInput]),
    el('label', {}, ['Filter', filterInput]), el('label', {}, ['Select', selectInput]),
    el('label', {}, ['Policy', policySelect]), addButton
  ]);
  var section = el('section', { className: 'panel wires', id: 'wires' }, [
    el('h2', { text: 'Wires' }), el('div', { className: 'graph-wrap' }, [graph]), list, form, status
  ]);
  admin.root.insertBefore(section, admin.before);

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = { name: nameInput.value.trim(), from: fromSelect.value, policy: policySelect.value,
      to: toInput.value.split(',').map(function (t) { return t.trim(); }).filter(function (t) { return t; }) };
    if (filterInput.value.trim()) {
      body.filter = filterInput.value.trim();
    }
    if (selectInput.value.trim()) {
      body.select = selectInput.value.trim();
    }
    addButton.disabled = true;
    admin.call('POST', '/wires', body).then(function (answer) {
      if (answer.status === 201 || answer.status === 202) {
        admin.show(status, 'Added wire ' + body.name + (answer.status === 202 ? ' (not running yet)' : ''), 'ok');
        nameInput.value = '';
        toInput.value = '';
        filterInput.value = '';
        selectInput.value = '';
      } else {
        admin.show(status, admin.errorText(answer), 'error');
      }
    }, function () {
      admin.show(status, 'The server cannot be reached.', 'error');
    }).then(function () {
      addButton.disabled = false;
    });
  });

  function remove(name, button) {
    if (!(armedUntil[name] > Date.now())) {
      // a second click within four seconds confirms, as for handlers (the list is redrawn meanwhile)
      armedUntil[name] = Date.now() + 4000;
      arm(button);
      return;
    }
    delete armedUntil[name];
    button.disabled = true;
    admin.call('DELETE', '/wires/' + encodeURIComponent(name)).then(function (answer) {
      admin.show(status, answer.status < 300 ? 'Removed wire ' + name : admin.errorText(answer),
        answer.status < 300 ? 'ok' : 'error');
    }, function () {
      admin.show(status, 'The server cannot be reached.', 'error');
    });
  }

  function arm(button) {
    button.classList.add('armed');
    button.textContent = 'Confirm remove';
  }

  // ---- figures -------------------------------------------------------------------------------

  /** Results per second a target accepted since the last poll. */
  function rate(wire, target, row, now) {
    var key = wire.name + '/' + target;
    var last = previous[key];
    previous[key] = { delivered: row.delivered, at: now };
    if (!last || now <= last.at || row.delivered < last.delivered) {
      return 0;
    }
    return (row.delivered - last.delivered) * 1000 / (now - last.at);
  }

  function label(perSecond, row) {
    return (perSecond >= 10 ? Math.round(perSecond) : perSecond.toFixed(1)) + '/s · ' + row.buffered + '/'
      + row.capacity;
  }

  // ---- the graph -----------------------------------------------------------------------------

  /** Columns by the longest path from a source: wires never make a cycle, but a bound keeps this safe. */
  function layout(names, edges) {
    var depth = {};
    names.forEach(function (name) {
      depth[name] = 0;
    });
    for (var round = 0; round < names.length; round++) {
      var moved = false;
      edges.forEach(function (edge) {
        if (depth[edge.to] !== undefined && depth[edge.from] !== undefined && depth[edge.to] < depth[edge.from] + 1) {
          depth[edge.to] = depth[edge.from] + 1;
          moved = true;
        }
      });
      if (!moved) {
        break;
      }
    }
    var rows = {};
    var place = {};
    names.forEach(function (name) {
      var column = depth[name];
      rows[column] = (rows[column] || 0) + 1;
      place[name] = { x: 12 + column * COLUMN, y: 12 + (rows[column] - 1) * ROW };
    });
    return place;
  }

  function draw(handlers, wires) {
    var names = handlers.map(function (h) { return h.name; });
    var edges = [];
    var now = Date.now();
    wires.forEach(function (wire) {
      var targets = (wire.ledger && wire.ledger.targets) || {};
      (wire.to || []).forEach(function (target) {
        edges.push({ wire: wire, from: wire.from, to: target, row: targets[target], dead: false });
      });
      if (wire.config && wire.config.dead_letter) {
        edges.push({ wire: wire, from: wire.from, to: wire.config.dead_letter, row: null, dead: true });
      }
    });
    var place = layout(names, edges);
    var width = 0;
    var height = 0;
    names.forEach(function (name) {
      width = Math.max(width, place[name].x + NODE_W + 12);
      height = Math.max(height, place[name].y + NODE_H + 12);
    });
    graph.setAttribute('width', Math.max(width, 200));
    graph.setAttribute('height', Math.max(height, 60));
    graph.textContent = '';
    graph.appendChild(svg('defs', {}, [svg('marker', { id: 'wire-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
      markerWidth: 8, markerHeight: 8, orient: 'auto' }, [svg('path', { d: 'M0,0 L10,5 L0,10 z', 'class': 'arrow' })])]));
    edges.forEach(function (edge) {
      var a = place[edge.from];
      var b = place[edge.to];
      if (!a || !b) {
        return; // a handler the wire waits for
      }
      var x1 = a.x + NODE_W;
      var y1 = a.y + NODE_H / 2;
      var x2 = b.x;
      var y2 = b.y + NODE_H / 2;
      if (x2 <= x1) {
        x2 = b.x + NODE_W / 2;
        y2 = b.y + (b.y > a.y ? 0 : NODE_H);
      }
      var warn = (edge.wire.warnings || []).length > 0 || edge.wire.state !== 'running';
      var text = edge.dead ? 'dead letter' : edge.row ? label(rate(edge.wire, edge.to, edge.row, now), edge.row) : '';
      graph.appendChild(svg('g', { 'class': 'edge' + (edge.dead ? ' dead-letter' : '') + (warn ? ' warn' : ''),
        'data-wire': edge.wire.name, 'data-target': edge.to }, [
        svg('line', { x1: x1, y1: y1, x2: x2, y2: y2, 'marker-end': 'url(#wire-arrow)' }),
        svg('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle', 'class': 'edge-label',
          text: edge.wire.name + ' ' + text })
      ]));
    });
    handlers.forEach(function (handler) {
      var p = place[handler.name];
      graph.appendChild(svg('g', { 'class': 'node state-' + handler.state, 'data-node': handler.name }, [
        svg('rect', { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 6 }),
        svg('text', { x: p.x + NODE_W / 2, y: p.y + NODE_H / 2 + 4, 'text-anchor': 'middle', text: handler.name })
      ]));
    });
  }

  function fillList(wires) {
    list.textContent = '';
    if (!wires.length) {
      list.appendChild(el('tr', {}, [el('td', { text: 'No wires yet.' })]));
      return;
    }
    list.appendChild(el('tr', {}, ['wire', 'from → to', 'state', 'taken', 'delivered', 'dropped', 'buffered', '']
      .map(function (head) { return el('th', { text: head }); })));
    wires.forEach(function (wire) {
      var ledger = wire.ledger || {};
      var button = el('button', { type: 'button', className: 'danger', 'data-action': 'remove-wire', text: 'Remove' });
      if (armedUntil[wire.name] > Date.now()) {
        arm(button);
      }
      button.addEventListener('click', function () {
        remove(wire.name, button);
      });
      var problems = (wire.warnings || []).join('; ');
      list.appendChild(el('tr', { 'data-wire': wire.name, title: problems || null }, [
        el('td', { text: wire.name }), el('td', { text: wire.from + ' → ' + (wire.to || []).join(', ') }),
        el('td', { className: problems ? 'warn' : '', 'data-field': 'state', text: wire.state + (problems ? ' ⚠' : '') }),
        el('td', { text: String(ledger.taken) }), el('td', { text: String(ledger.delivered) }),
        el('td', { text: String(ledger.dropped) }), el('td', { text: String(ledger.buffered) }), el('td', {}, [button])
      ]));
    });
  }

  function fillSources(handlers) {
    var chosen = fromSelect.value;
    var names = handlers.map(function (h) { return h.name; });
    if (names.join('\n') === Array.prototype.map.call(fromSelect.options, function (o) { return o.value; }).join('\n')) {
      return;
    }
    fromSelect.textContent = '';
    names.forEach(function (name) {
      fromSelect.appendChild(el('option', { value: name, text: name }));
    });
    if (chosen && names.indexOf(chosen) >= 0) {
      fromSelect.value = chosen;
    }
  }

  admin.onHandlers(function (handlers) {
    fillSources(handlers);
    if (loading) {
      return;
    }
    loading = true;
    admin.call('GET', '/wires').then(function (answer) {
      if (answer.status !== 200) {
        // 404 without the wire bundle: the server says that wires are not installed
        section.classList.add('unavailable');
        form.hidden = true;
        list.textContent = '';
        list.appendChild(el('tr', {}, [el('td', { 'data-field': 'wires-error', text: admin.errorText(answer) })]));
        draw(handlers, []);
        return;
      }
      section.classList.remove('unavailable');
      form.hidden = false;
      draw(handlers, answer.body);
      fillList(answer.body);
    }, function () { /* reported by the handlers' poll */ }).then(function () {
      loading = false;
    });
  });
})();
