// The admin page's chart of a handler's last minutes: throughput and input queue, drawn on the
// card's canvas from the history app.js keeps. Loaded before app.js, which calls it on every poll.
(function () {
  'use strict';

  function draw(card, windowSeconds, el) {
    var canvas = card.canvas;
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth || 360;
    var height = canvas.clientHeight || 96;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    var g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    var now = Date.now();
    var start = now - windowSeconds * 1000;
    var points = card.history;
    var maxRate = 1;
    var maxQueue = 1;
    points.forEach(function (p) {
      maxRate = Math.max(maxRate, p.rate);
      maxQueue = Math.max(maxQueue, p.queue);
    });
    var top = 6;
    var bottom = height - 14;
    g.strokeStyle = '#edf0f4';
    g.lineWidth = 1;
    [0.25, 0.5, 0.75].forEach(function (f) {
      var y = Math.round(top + (bottom - top) * f) + 0.5;
      g.beginPath();
      g.moveTo(0, y);
      g.lineTo(width, y);
      g.stroke();
    });
    g.fillStyle = '#98a2b3';
    g.font = '10px system-ui, sans-serif';
    g.fillText('-5 min', 4, height - 3);
    g.fillText('now', width - 22, height - 3);

    function line(color, value, max) {
      g.strokeStyle = color;
      g.lineWidth = 1.6;
      g.beginPath();
      var started = false;
      points.forEach(function (p) {
        if (p.t < start) {
          return;
        }
        var x = (p.t - start) / (now - start) * width;
        var y = bottom - (value(p) / max) * (bottom - top);
        if (started) {
          g.lineTo(x, y);
        } else {
          g.moveTo(x, y);
          started = true;
        }
      });
      g.stroke();
    }
    line('#ea8a0c', function (p) { return p.queue; }, maxQueue);
    line('#2563eb', function (p) { return p.rate; }, maxRate);

    var latest = points.length ? points[points.length - 1] : { rate: 0, queue: 0 };
    card.legend.textContent = '';
    card.legend.appendChild(el('span', {}, [el('span', { className: 'swatch rate' }),
      'throughput ' + latest.rate.toFixed(1) + '/s (max ' + maxRate.toFixed(1) + ')']));
    card.legend.appendChild(el('span', {}, [el('span', { className: 'swatch queue' }),
      'input queue ' + latest.queue + ' (max ' + maxQueue + ')']));
  }

  window.MaverickChart = { draw: draw };
})();
