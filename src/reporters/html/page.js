// The treemap of the `analyze --format html` page (inlined by scripts/embed-assets.js after d3-hierarchy).
// Reads the report data from the JSON script element, lays out the zoomed directory with d3's squarified treemap
// and draws it as positioned elements. Names come from the image (attacker-controlled): they are only ever set
// with textContent, never parsed as HTML.
// The report's tables sort by a column when its header is clicked, or focused and Enter or Space pressed: the
// headers become buttons here, so without JavaScript the tables stay as written (biggest first) and nothing offers
// what would not work. Sizes and counts sort by the value they write (1.20 MB above 980 kB), a column of numbers
// biggest first on the first click, a column of words from A; a second click reverses it.
(function () {
  'use strict';
  var UNITS = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15 };
  var SEVERITY = { error: 0, warning: 1, info: 2, style: 3 };
  // The value a cell sorts by: its `data-sort` rank when the report gives one, else a size (`33.6 MB`), a count (`4,167`), a percentage or a layer (`L3`) as a number, `-`
  // or an empty cell as nothing at all (below every number), a severity by its rank (errors first, from A), anything
  // else as its text.
  function key(cell) {
    // A rank the report worked out (a package version, in its manager's order: `1:3.8-4` after `1.0-2`).
    if (cell && cell.hasAttribute('data-sort')) return { n: Number(cell.getAttribute('data-sort')) };
    var text = (cell ? cell.textContent : '').trim();
    if (text === '' || text === '-') return { n: -Infinity };
    var first = text.split(/\s+/)[0];
    if (Object.prototype.hasOwnProperty.call(SEVERITY, first)) return { n: SEVERITY[first] };
    var size = /^(-?[\d,]*\.?\d+)\s*(B|kB|MB|GB|TB|PB)?%?(?![\w.])/.exec(text);
    if (size) return { n: Number(size[1].replace(/,/g, '')) * (size[2] ? UNITS[size[2]] : 1) };
    var layer = /^L(\d+)\b/.exec(text);
    if (layer) return { n: Number(layer[1]) };
    return { t: text };
  }
  function compare(a, b) {
    if (a.n !== undefined && b.n !== undefined) return a.n === b.n ? 0 : a.n < b.n ? -1 : 1;
    // Numbers before words: a column holding both (a layer's `L3` beside a history's text) keeps them apart.
    if (a.n !== undefined) return -1;
    if (b.n !== undefined) return 1;
    return a.t.localeCompare(b.t, undefined, { numeric: true, sensitivity: 'base' });
  }
  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    var body = table.tBodies[0];
    if (!body || body.rows.length < 2) return;
    Array.prototype.forEach.call(heads, function (th, column) {
      var label = th.textContent;
      if (!label) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = label;
      var mark = document.createElement('span');
      mark.className = 'sort-mark';
      mark.setAttribute('aria-hidden', 'true');
      button.appendChild(mark);
      th.textContent = '';
      th.appendChild(button);
      button.addEventListener('click', function () {
        var numeric = th.classList.contains('num');
        var was = th.getAttribute('aria-sort');
        var ascending = was ? was === 'descending' : !numeric;
        Array.prototype.forEach.call(heads, function (other) {
          other.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        // Stable: rows of one value keep the order the report gave them (the biggest first).
        var rows = Array.prototype.map.call(body.rows, function (row, index) {
          return { row: row, index: index, key: key(row.cells[column]) };
        });
        rows.sort(function (a, b) {
          return (ascending ? compare(a.key, b.key) : compare(b.key, a.key)) || a.index - b.index;
        });
        rows.forEach(function (r) {
          body.appendChild(r.row);
        });
      });
    });
  }
  document.querySelectorAll('.table > table').forEach(sortable);
})();

(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('ballast-data').textContent);
  var box = document.getElementById('treemap');
  if (!data.tree || !box) return;
  var crumbs = document.getElementById('crumbs');
  var tip = document.getElementById('tip');
  var hiddenToggle = document.getElementById('show-hidden');
  // The smallest rectangle worth drawing (pixels per side), and a bound on elements per view.
  var MIN_SIDE = 3;
  var MAX_CELLS = 5000;
  var HEADER = 16;
  // Cells narrower than this (pixels) have no room inside for a hover or found ring and their colour too (page.css).
  var TINY = 12;

  // Parent links, so a zoom can show its path and step back out; and whether any entries were merged (small files
  // and small directories drawn as one leaf), whose own names the find box cannot search.
  var merging = false;
  (function link(node, parent) {
    node.parent = parent;
    if (node.k === 's' || node.k === 'c') merging = true;
    if (node.c) for (var i = 0; i < node.c.length; i++) link(node.c[i], node);
  })(data.tree, null);

  var focus = data.tree;
  // The path last picked in the find list: outlined wherever a draw shows it (a resize or a layer picked redraws the
  // map, and a mark set on the cells of one draw was lost with them).
  var marked = null;
  // The layer picked in the legend (its bytes stay lit, the others dim), or null.
  var picked = null;

  function bytes(n) {
    var units = ['B', 'kB', 'MB', 'GB', 'TB'];
    var u = 0;
    while (n >= 1000 && u < units.length - 1) {
      n /= 1000;
      u++;
    }
    return (u === 0 ? String(n) : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) + ' ' + units[u];
  }

  // Counts as the rest of the report writes them (45,123 files, 1 file): the cards above the map say "1,200 final
  // files", and the path under them read "1200 files".
  function count(n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
  }
  function files(n) {
    return count(n) + (n === 1 ? ' file' : ' files');
  }

  // Names come from the image: control characters, and the bidirectional ones that would reorder the text after them
  // (a name holding U+202E shows its size backwards), are shown escaped, as the text reports show them.
  // eslint-disable-next-line no-control-regex -- the point
  var INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  function hex(c) {
    var code = c.charCodeAt(0);
    // Four digits past U+00FF, as the text reports write them: U+061C read `\u61c`.
    return code < 0x100 ? '\\x' + ('0' + code.toString(16)).slice(-2) : '\\u' + ('000' + code.toString(16)).slice(-4);
  }
  function visible(text) {
    return String(text).replace(INVISIBLE, hex);
  }
  // A name or path from the image: also the blanks the browser would fold or trim, escaped as the text reports escape
  // them (printablePath): `a ` beside `a`, or `a  b` beside `a b`, read as one name twice, and U+2028 broke the line.
  function visibleName(text) {
    return visible(text).replace(/^\s+|\s+$|\s{2,}|[^\S ]/g, function (blanks) {
      return blanks.replace(/\s/g, hex);
    });
  }

  function pathOf(node) {
    var parts = [];
    for (var n = node; n && n.parent; n = n.parent) parts.unshift(n.n);
    return '/' + parts.join('/');
  }

  function layerText(index) {
    var l = data.layers[index];
    return l ? visible(l.label) : 'layer ' + index;
  }

  // The layer a node is coloured and named by: without hidden bytes, the one holding most of what is still shown
  // (a directory whose bytes are mostly a deleted layer's is otherwise drawn as that layer's).
  function layerOf(node) {
    return hiddenToggle && !hiddenToggle.checked && node.v !== undefined ? node.v : node.l;
  }

  // Whether any of the bytes the map shows for `node` are `layer`'s: a directory drawn as one block is lit for a layer
  // holding a share of it, not only the one holding most. Walks only the block's subtree, and blocks do not overlap,
  // so a draw visits each node of the tree at most once.
  // A layer picked in the legend that holds none of the zoomed directory's bytes dims every cell of the map: without
  // a word, a grey map reads as broken. Said on every draw, as a zoom or the hidden-bytes box changes it.
  function sayPickedHere() {
    var none = document.getElementById('picked-none');
    if (!none) return;
    none.textContent =
      picked !== null && !holds(focus, picked)
        ? 'L' + picked + ' added nothing under ' + pathOf(focus) + ' that the map shows: all of it is dimmed.'
        : '';
  }

  function holds(node, layer) {
    if (value(node) <= 0) return false;
    if (node.c) {
      for (var i = 0; i < node.c.length; i++) if (holds(node.c[i], layer)) return true;
      return false;
    }
    var layers = hiddenToggle && !hiddenToggle.checked && node.w ? node.w : node.s;
    return layers ? layers.indexOf(layer) >= 0 : node.l === layer;
  }

  function colourOf(node) {
    var l = data.layers[layerOf(node)];
    return l ? l.colour : '#999';
  }

  function value(node) {
    return hiddenToggle && !hiddenToggle.checked ? node.b - node.h : node.b;
  }

  // Files counted as the bytes are: without hidden bytes, the final filesystem's files only.
  function fileCount(node) {
    return hiddenToggle && !hiddenToggle.checked ? node.f - (node.g || 0) : node.f;
  }

  // The files counted, the hidden copies said apart: the map holds only hidden copies with bytes (an empty file
  // deleted or overwritten ships nothing), so one total read beside the text report's "files over all layers",
  // which counts every file a layer wrote, as a miscount of those. Two parts, for the path above the map to wrap
  // between on a phone.
  function filesParts(node) {
    var n = fileCount(node);
    var hidden = n === node.f ? node.g || 0 : 0;
    if (hidden === 0) return [files(n)];
    var copies = count(hidden) + (hidden === 1 ? ' hidden copy' : ' hidden copies') + ' holding bytes';
    return n === hidden ? [copies] : [files(n - hidden), 'and ' + copies];
  }
  function filesText(node) {
    return filesParts(node).join(' ');
  }

  function describe(node) {
    var lines = [visibleName(pathOf(node)) + (node.k === 's' ? ' (merged)' : '')];
    var shown = value(node);
    lines.push(bytes(shown) + (fileCount(node) > 1 ? ' in ' + filesText(node) : ''));
    // With hidden bytes switched off they are not in the size above: "of it" would make 42 MB hold 171 MB.
    if (node.h > 0 && node.k !== 'f')
      lines.push(
        hiddenToggle && !hiddenToggle.checked
          ? 'and ' + bytes(node.h) + ' hidden, not drawn (deleted or overwritten, still shipped)'
          : bytes(node.h) + ' of it hidden (deleted or overwritten, still shipped)',
      );
    if (node.k === 'f' && node.h > 0) {
      lines.push('hidden: ' + node.x + ' by ' + layerText(node.y) + '; the bytes still ship in ' + layerText(node.l));
    } else if (node.l !== undefined) {
      lines.push((node.k === 'f' ? 'added by ' : 'mostly from ') + layerText(layerOf(node)));
    }
    return lines.join('\n');
  }

  function renderCrumbs() {
    crumbs.textContent = '';
    var chain = [];
    for (var n = focus; n; n = n.parent) chain.unshift(n);
    chain.forEach(function (node, i) {
      var last = i === chain.length - 1;
      // Buttons, not bare links: a keyboard reaches them with Tab and presses them with Enter or Space.
      var el = document.createElement(last ? 'span' : 'button');
      el.textContent = i === 0 ? '/' : visibleName(node.n);
      // A directory found is zoomed into, so it is no cell of the map: its name in the path is outlined instead.
      if (last) el.className = node === marked ? 'here found' : 'here';
      else {
        el.type = 'button';
        el.addEventListener('click', function () {
          zoom(node, crumbs.contains(document.activeElement));
        });
      }
      crumbs.appendChild(el);
      if (i > 0 && !last) crumbs.appendChild(document.createTextNode('/'));
    });
    var total = document.createElement('span');
    total.className = 'total';
    var parts = filesParts(focus);
    total.textContent = '  ' + bytes(value(focus)) + ', ' + parts[0];
    if (parts[1]) {
      crumbs.appendChild(total);
      crumbs.appendChild(document.createTextNode(' '));
      total = document.createElement('span');
      total.className = 'total';
      total.textContent = parts[1];
    }
    crumbs.appendChild(total);
  }

  // keepFocus: the keyboard was in the map or the path (redrawing removes what it was on), so it lands on the
  // directory just left when zooming out, else on the first directory of the new view.
  function zoom(node, keepFocus) {
    var left = focus;
    focus = node;
    draw();
    remember();
    if (!keepFocus) return;
    var at = shown.indexOf(left);
    var el = at >= 0 ? box.querySelector('.cell[role="button"][data-index="' + at + '"]') : null;
    el = el || box.querySelector('.cell[role="button"]');
    if (el) setStop(el);
    (el || box).focus();
  }

  // Each zoom is a step in the browser's history, so Back undoes it (as on any page that zooms) instead of leaving
  // the report for the page that linked it. The state is the zoomed directory as child indices from the root (the
  // tree is fixed, so they name it again after a reload); the URL stays the file's.
  function steps(node) {
    var at = [];
    for (var n = node; n.parent; n = n.parent) at.unshift(n.parent.c.indexOf(n));
    return at;
  }
  // The entry keeps whether hidden bytes are shown too: a reload kept the zoom, but ticked the box again (it is not a
  // step of its own; Back keeps it as it is).
  function entry(at) {
    return { ballastZoom: at, ballastHidden: hiddenToggle ? hiddenToggle.checked : true };
  }
  function remember() {
    var at = steps(focus);
    var now = window.history.state && window.history.state.ballastZoom;
    if (now && now.join() === at.join()) return;
    try {
      window.history.pushState(entry(at), '');
    } catch {
      // A viewer that refuses history entries (a sandboxed frame) still zooms; Back then leaves as before.
    }
  }
  // The current entry, made to say what the page shows now (a zoom stepped back to, the hidden bytes switched).
  function restate() {
    try {
      window.history.replaceState(entry(steps(focus)), '');
    } catch {
      // as in remember()
    }
  }
  function recall(state) {
    var node = data.tree;
    var at = state && state.ballastZoom;
    for (var i = 0; at && i < at.length && node.c && node.c[at[i]]; i++) node = node.c[at[i]];
    return node;
  }
  window.addEventListener('popstate', function (event) {
    // (an entry of the page's own, such as a #fragment followed, is no zoom)
    if (!event.state || !event.state.ballastZoom) return;
    focus = recall(event.state);
    if (hiddenToggle && event.state.ballastHidden !== hiddenToggle.checked) restate();
    draw();
  });

  // The map is one Tab stop (a big image draws hundreds of directories, and Tab would have to go through each to
  // reach the legend): the directory last moved to has tabindex 0, the others -1, and the arrows move between them.
  var stop = null;
  function setStop(el) {
    if (stop === el) return;
    if (stop) stop.tabIndex = -1;
    stop = el;
    stop.tabIndex = 0;
  }

  // The map's size at the last draw (see the resize listener).
  var drawnSize = { width: -1, height: -1 };
  function draw() {
    // With hidden bytes switched off, a directory that only held hidden bytes has nothing left to show.
    while (focus.parent && value(focus) <= 0) focus = focus.parent;
    sayPickedHere();
    var width = box.clientWidth;
    var height = box.clientHeight;
    drawnSize = { width: width, height: height };
    // Only directories big enough to show something inside are expanded: the layout then costs what is drawn,
    // not what the image holds.
    var whole = value(focus) || 1;
    // The Tab stop stays on the same directory across a redraw (a picked layer, a resize), and so does the focus.
    var stopNode = stop ? shown[Number(stop.getAttribute('data-index'))] : null;
    var hadFocus = box.contains(document.activeElement);
    var expand = function (d) {
      return !!d.c && (d === focus || (value(d) / whole) * width * height >= 400);
    };
    var root = d3
      .hierarchy(focus, function (d) {
        return expand(d) ? d.c : null;
      })
      .sum(function (d) {
        return expand(d) ? 0 : value(d);
      })
      .sort(function (a, b) {
        return b.value - a.value;
      });
    d3
      .treemap()
      .tile(d3.treemapSquarify)
      .size([width, height])
      .paddingInner(1)
      // paddingOuter sets all four sides, so the header room on top comes after it.
      .paddingOuter(function (d) {
        return d.depth === 0 ? 0 : 2;
      })
      .paddingTop(function (d) {
        return d.depth === 0 ? 0 : HEADER;
      })
      .round(true)(root);
    box.textContent = '';
    stop = null;
    shown = [];
    hot = null;
    // A tip a tap showed names a cell this draw removes.
    if (tapped) {
      tapped = null;
      tip.style.display = 'none';
    }
    var frag = document.createDocumentFragment();
    root.each(function (d) {
      // Breadth-first: a parent drawn as a block (or not drawn) hides its whole subtree.
      if (d.depth === 0) return;
      var parent = d.parent.depth === 0 ? null : d.parent;
      if (parent && !parent.open) return;
      var w = d.x1 - d.x0;
      var h = d.y1 - d.y0;
      if (d.value <= 0 || w < MIN_SIDE || h < MIN_SIDE || shown.length >= MAX_CELLS) return;
      var node = d.data;
      var isDir = !!node.c;
      // A directory too small to show what is inside is drawn as one block, coloured like its main layer (and lit
      // when a layer picked in the legend holds any of it).
      d.open = isDir && w >= 40 && h >= HEADER + 10;
      var el = document.createElement('div');
      el.className =
        'cell ' +
        (d.open ? 'dir' : 'leaf') +
        (!isDir && node.h > 0 ? ' hidden' : '') +
        (isDir && !d.open ? ' block' : '') +
        (!d.open && picked !== null && !holds(node, picked) ? ' dim' : '') +
        (node === marked ? ' found' : '') +
        // (the rings that mark a cell are drawn round these, not inside: inside, they covered all of its colour)
        (w < TINY || h < TINY ? ' tiny' : '');
      // Cells nest like the directories (so a directory never covers what is in it); positions are relative to
      // the parent's padding box, inside its 1px border. Across, they are shares of that box's width, so the map
      // keeps inside its box when the box gets narrower without a redraw: on paper, where the page is laid out
      // again at the paper's width after the last script ran.
      var across = parent ? parent.x1 - parent.x0 - 2 : width;
      el.style.left = ((d.x0 - (parent ? parent.x0 + 1 : 0)) / across) * 100 + '%';
      el.style.top = d.y0 - (parent ? parent.y0 + 1 : 0) + 'px';
      el.style.width = (w / across) * 100 + '%';
      el.style.height = h + 'px';
      if (!d.open) {
        var colour = colourOf(node);
        el.style.background =
          !isDir && node.h > 0
            ? 'repeating-linear-gradient(45deg, ' + colour + ' 0 6px, rgba(90, 0, 0, 0.6) 6px 8px)'
            : colour;
      }
      el.setAttribute('data-path', pathOf(node));
      el.setAttribute('data-index', String(shown.length));
      // Directories are what a click zooms into: the keyboard reaches them (Tab to the map, then the arrows) and
      // zooms with Enter or Space.
      if (isDir) {
        el.tabIndex = -1;
        if (!stop || node === stopNode) stop = el;
        el.setAttribute('role', 'button');
        el.setAttribute('aria-label', visibleName(node.n) + ', ' + bytes(d.value));
      }
      shown.push(node);
      if (w > 24 && h > 12) {
        var label = document.createElement('div');
        label.className = 'label';
        // The name in an element of its own, isolated (page.css): right-to-left text in it cannot move the size.
        var name = document.createElement('span');
        name.className = 'name';
        name.textContent = visibleName(node.n) + ((isDir && !d.open) || node.k === 'c' ? '/' : '');
        label.appendChild(name);
        if (w > 90) label.appendChild(document.createTextNode('  ' + bytes(d.value)));
        el.appendChild(label);
      }
      d.el = el;
      (parent ? parent.el : frag).appendChild(el);
    });
    box.appendChild(frag);
    if (stop) stop.tabIndex = 0;
    // A view of files only has no directory to stop at: the map itself is then the Tab stop, so the keyboard still
    // reaches it (and steps out with Backspace).
    box.tabIndex = stop ? -1 : 0;
    if (hadFocus && !box.contains(document.activeElement)) (stop || box).focus();
    renderCrumbs();
  }

  // The tip at (left, top), moved to stay inside the window: left of the pointer near the right edge (in a window
  // narrower than the tip, against its left edge), above `above` when there is no room below.
  function showTip(node, left, top, above) {
    tip.textContent = describe(node);
    tip.style.display = 'block';
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var room = document.documentElement.clientWidth;
    tip.style.left = Math.max(0, Math.min(left, room - width)) + 'px';
    tip.style.top = (top + height <= window.innerHeight ? top : Math.max(0, above - height)) + 'px';
  }

  // One listener for all cells: the innermost cell under the pointer is the one meant.
  var shown = [];
  var hot = null;
  function cellOf(event) {
    var el = event.target && event.target.closest ? event.target.closest('.cell') : null;
    return el ? { el: el, node: shown[Number(el.getAttribute('data-index'))] } : null;
  }
  // (`at`: an event, or the cell a finger pressed)
  function open(at, keepFocus) {
    var cell = at.node ? at : cellOf(at);
    if (!cell) return;
    // A directory zooms into itself; a file zooms into its directory.
    var target = cell.node.c ? cell.node : cell.node.parent;
    if (target && target !== focus) zoom(target, keepFocus);
  }
  box.addEventListener('click', function (event) {
    if (!touching) open(event, false);
    // A long press showed a tip: the click some browsers send when the finger lifts zoomed (or hid the tip) too.
    else if (held) held = false;
    else tap(event);
  });

  // A touch screen has no hover, so what a pointer resting on a cell shows (path, size, layer) was out of reach: a tap
  // on a file shows its tip (a second tap on it hides it), a tap on a directory zooms as a click does, and a tap
  // anywhere else hides the tip. Whether the last press was a finger's decides, not what the device is: a laptop
  // with a touch screen has a mouse too.
  var touching = false;
  // The cell whose tip a tap showed.
  var tapped = null;
  // The cell the finger came down on (see touchAt), or undefined where the finger was nowhere near the map. Not the
  // target of the tap's events: Chromium moves those onto the innermost element near the finger that can be clicked
  // (the pointerdown's too, though not its coordinates), so a tap on a directory's name (its header) opened the
  // directory drawn right under it.
  var pressed;
  // Where the finger came down. The click's coordinates are moved too, onto what Chromium picked: a tip placed by
  // them stood a few pixels off from the finger.
  var pressedAt = null;
  // A press held this long (ms) without moving further than SLOP (px) is a long press: it shows the tip of what is
  // pressed, and the click a browser may send when the finger lifts does nothing more (it zoomed into a directory).
  // Chromium with a touch screen emulated sends no contextmenu for a finger held, only that click when it lifts.
  var LONG_PRESS = 500;
  var SLOP = 10;
  var holding = 0;
  var held = false;
  document.addEventListener(
    'pointerdown',
    function (event) {
      touching = event.pointerType === 'touch';
      held = false;
      clearTimeout(holding);
      pressedAt = touching ? { clientX: event.clientX, clientY: event.clientY } : null;
      pressed = touching ? touchAt(event.clientX, event.clientY) : undefined;
      if (touching && tapped && !box.contains(event.target)) hideTip();
      if (touching && pressed) holding = setTimeout(longPress, LONG_PRESS);
    },
    true,
  );
  document.addEventListener(
    'pointermove',
    function (event) {
      if (event.pointerType === 'mouse') touching = false;
      else if (pressedAt && Math.hypot(event.clientX - pressedAt.clientX, event.clientY - pressedAt.clientY) > SLOP)
        clearTimeout(holding);
    },
    true,
  );
  // (the browser takes a finger that moves on to scroll the page: pointercancel)
  ['pointerup', 'pointercancel'].forEach(function (type) {
    document.addEventListener(
      type,
      function () {
        clearTimeout(holding);
      },
      true,
    );
  });
  function longPress() {
    // (a contextmenu already showed it; or the map was redrawn under the finger)
    if (held || !pressed || !box.contains(pressed.el)) return;
    held = true;
    tipOf(pressed, pressedAt);
  }
  function tap(event) {
    var cell = touchedCell(event);
    if (cell && !cell.node.c && tapped !== cell.el) {
      tipOf(cell, pressedAt || event);
      return;
    }
    hideTip();
    if (cell && cell.node.c) open(cell, false);
  }
  function touchedCell(event) {
    return pressed !== undefined ? pressed : cellOf(event);
  }
  // A finger is wider than the 1 to 3 px gaps and paddings between cells, and than many small cells: one that comes
  // down in a directory's padding, in a gap or just outside the map meant the cell nearest to it, if one is within
  // REACH px (as touch screens pick the target nearest the finger), not the directory round the gap (that opened the
  // parent of a small directory touched just beside it). A cell under the finger, or a directory's name (its header),
  // is taken as it is. Nothing within reach: the directory the finger is in, or outside the map, what the browser
  // picked (undefined).
  var REACH = 10;
  function touchAt(x, y) {
    var area = box.getBoundingClientRect();
    if (x < area.left - REACH || x > area.right + REACH || y < area.top - REACH || y > area.bottom + REACH) return;
    var hit = document.elementFromPoint(x, y);
    var el = hit && box.contains(hit) && hit.closest ? hit.closest('.cell') : null;
    if (el && (!el.classList.contains('dir') || y < el.getBoundingClientRect().top + HEADER))
      return cellOf({ target: el });
    var best = null;
    var bestGap = REACH;
    var cells = box.querySelectorAll('.cell');
    for (var i = 0; i < cells.length; i++) {
      var r = cells[i].getBoundingClientRect();
      // (an open directory is only a target by its header: the rest of it is what it holds, and its padding)
      var bottom = cells[i].classList.contains('dir') ? Math.min(r.bottom, r.top + HEADER) : r.bottom;
      var gap = Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - bottom));
      if (gap < bestGap) {
        best = cells[i];
        bestGap = gap;
      }
    }
    if (best) return cellOf({ target: best });
    return el ? cellOf({ target: el }) : hit && box.contains(hit) ? null : undefined;
  }
  // (`at`: an event, or where the finger came down)
  function tipOf(cell, at) {
    hideTip();
    tapped = hot = cell.el;
    hot.classList.add('hot');
    showTip(cell.node, at.clientX + 12, at.clientY + 14, at.clientY - 8);
  }
  function hideTip() {
    tip.style.display = 'none';
    if (hot) hot.classList.remove('hot');
    hot = null;
    tapped = null;
  }
  // The tip stays where it was put in the window (it is fixed): scrolled, it would name a cell it is no longer by.
  window.addEventListener(
    'scroll',
    function () {
      if (tapped) hideTip();
    },
    { passive: true },
  );
  // The arrows go to the next or previous directory in the order they are drawn (each, then those inside it), Home
  // and End to the first and last: one order in both directions, whatever the layout put where.
  var STEP = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  box.addEventListener('keydown', function (event) {
    if (STEP[event.key] || event.key === 'Home' || event.key === 'End') {
      var dirs = box.querySelectorAll('.cell[role="button"]');
      if (!dirs.length) return;
      event.preventDefault(); // the arrows would scroll the page
      var at = Array.prototype.indexOf.call(dirs, stop);
      var to =
        event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? dirs.length - 1
            : Math.max(0, Math.min(dirs.length - 1, (at < 0 ? 0 : at) + STEP[event.key]));
      setStop(dirs[to]);
      dirs[to].focus();
      return;
    }
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault(); // Space would scroll the page
    open(event, true);
  });
  // A directory reached with the keyboard shows what hovering it shows, below its name.
  box.addEventListener('focusin', function (event) {
    var cell = cellOf(event);
    // A directory focused another way (a click) is where Tab comes back to.
    if (cell && cell.el.getAttribute('role') === 'button') setStop(cell.el);
    // (a click focuses the cell too: the pointer's tip is the one to show then)
    if (!cell || !cell.el.matches(':focus-visible')) return;
    var r = cell.el.getBoundingClientRect();
    showTip(cell.node, r.left, r.top + HEADER + 4, r.top - 4);
  });
  box.addEventListener('focusout', function () {
    // (a finger's tip stays: the focus a long press's lifting finger moves, after the tip showed, hid it)
    if (!tapped) tip.style.display = 'none';
  });
  box.addEventListener('mousemove', function (event) {
    // (the mouse events a browser makes up after a tap are the finger's: the tap shows the tip, or not)
    if (touching) return;
    var cell = cellOf(event);
    if (!cell) return;
    if (hot !== cell.el) {
      if (hot) hot.classList.remove('hot');
      hot = cell.el;
      hot.classList.add('hot');
    }
    showTip(cell.node, event.clientX + 12, event.clientY + 14, event.clientY - 8);
  });
  box.addEventListener('mouseleave', function () {
    tip.style.display = 'none';
    if (hot) hot.classList.remove('hot');
    hot = null;
  });
  // Right click or Backspace steps out of the zoomed directory.
  box.addEventListener('contextmenu', function (event) {
    // A long press on a touch screen fires it too, to ask what was pressed: it zoomed out. It shows the tip of what
    // was pressed instead (a directory's too), as a tap on a file does.
    if (touching) {
      var cell = touchedCell(event);
      if (!cell) return;
      event.preventDefault();
      clearTimeout(holding);
      held = true;
      tipOf(cell, pressedAt || event);
      return;
    }
    // At the top there is nothing to step out of: the browser's menu stays.
    if (!focus.parent) return;
    event.preventDefault();
    zoom(focus.parent, false);
  });
  document.addEventListener('keydown', function (event) {
    // Keys typed into the find box are the box's (Backspace deletes a character there).
    if (event.target === findBox) return;
    if ((event.key === 'Backspace' || event.key === 'Escape') && focus.parent) {
      var active = document.activeElement;
      zoom(focus.parent, box.contains(active) || crumbs.contains(active));
    }
  });
  if (hiddenToggle)
    hiddenToggle.addEventListener('change', function () {
      draw();
      // (after the draw: a directory that held only hidden bytes was left for the one above it)
      restate();
      // The sizes found (and what has any left to show) depend on it too.
      if (findBox && findBox.value.trim() !== '') showFound();
    });
  var legend = document.getElementById('legend');
  if (legend)
    legend.addEventListener('click', function (event) {
      var button = event.target && event.target.closest ? event.target.closest('button[data-layer]') : null;
      if (!button) return;
      var layer = Number(button.getAttribute('data-layer'));
      picked = picked === layer ? null : layer;
      var buttons = legend.querySelectorAll('button[data-layer]');
      // Toggle buttons: pressed or not is said to a screen reader too, not only drawn as an outline.
      for (var i = 0; i < buttons.length; i++) {
        var on = Number(buttons[i].getAttribute('data-layer')) === picked;
        buttons[i].classList.toggle('on', on);
        buttons[i].setAttribute('aria-pressed', String(on));
      }
      var note = document.getElementById('picked-note');
      if (note)
        note.textContent =
          picked === null ? '' : 'The map picks out layer L' + picked + ': what holds none of its bytes is dimmed.';
      draw();
    });

  // Find: the biggest paths (by the bytes the map shows) whose path holds what is typed, ignoring case; a pick zooms to
  // the directory (a file: the directory holding it) and marks the picked cell. Every node is visited once per search,
  // with its path built on the way down, so a 50k-file tree answers in milliseconds.
  var findBox = document.getElementById('find');
  var foundBox = document.getElementById('found');
  var FIND_ROWS = 20;
  function search(text) {
    var needle = text.toLowerCase();
    var hits = [];
    var count = 0;
    (function visit(node, path) {
      for (var i = 0; node.c && i < node.c.length; i++) {
        var child = node.c[i];
        var childPath = path + '/' + child.n;
        // Matched as shown too, so `\x0a` finds a name holding a newline. A leaf of merged small entries is named
        // "12 small files", which is no path in the image: `small` or `files` listed every such leaf. Its directory
        // is what is found.
        if (
          child.k !== 's' &&
          value(child) > 0 &&
          (childPath.toLowerCase().indexOf(needle) >= 0 || visibleName(childPath).toLowerCase().indexOf(needle) >= 0)
        ) {
          count++;
          hits.push(child);
          // Kept short as it goes: only the biggest are listed.
          if (hits.length > 4 * FIND_ROWS) {
            hits.sort(bigFirst);
            hits.length = FIND_ROWS;
          }
        }
        visit(child, childPath);
      }
    })(data.tree, '');
    hits.sort(bigFirst);
    return { hits: hits.slice(0, FIND_ROWS), count: count };
  }
  function bigFirst(a, b) {
    return value(b) - value(a);
  }
  // Nothing outlined any more: the box was emptied (Escape, or its text deleted), so nothing is found.
  function unmark() {
    if (!marked) return;
    marked = null;
    document.querySelectorAll('#treemap .cell.found, #crumbs .found').forEach(function (el) {
      el.classList.remove('found');
    });
  }
  function showFound() {
    var text = findBox.value.trim();
    foundBox.textContent = '';
    // Deleted to nothing, the box found nothing, as after Escape: the outline stayed round the path picked before.
    if (text === '') return unmark();
    var result = search(text);
    var head = document.createElement('p');
    head.className = 'note screen';
    head.textContent = foundLine(result, visible(text));
    foundBox.appendChild(head);
    // Printed, the find box is left out (page.css), and the list began "1 path holds model:", never saying it was a
    // search: paper says what was searched for.
    var paper = document.createElement('p');
    paper.className = 'paper searched';
    var line = foundLine(result, 'it');
    paper.textContent = 'Search for \u201c' + visible(text) + '\u201d: ' + line.charAt(0).toLowerCase() + line.slice(1);
    foundBox.appendChild(paper);
    if (result.hits.length) foundBox.appendChild(foundList(result.hits));
  }
  // The line above the paths found, naming what was searched for as `what`.
  function foundLine(result, what) {
    var merged = merging && data.merged;
    return result.count === 0
      ? 'No path holds ' +
          what +
          // "No path holds passwd." read as if the image had none, where /etc/passwd was merged with /etc's small files.
          (merged
            ? // Most, not all: each directory keeps its few biggest entries by name, however small (size-tree.ts).
              '; most entries under ' +
              bytes(data.merged) +
              ' are merged per directory and layer, and not found by their own names.'
            : '.')
      : count(result.count) +
          (result.count === 1 ? ' path holds ' : ' paths hold ') +
          what +
          // With hits the list read as every path holding the text, where small ones holding it were left out too.
          (merged ? ' (most entries under ' + bytes(data.merged) + ' are merged, and not searched by name)' : '') +
          (result.count > result.hits.length ? '; the ' + result.hits.length + ' biggest:' : ':');
  }
  function foundList(hits) {
    var list = document.createElement('ol');
    hits.forEach(function (node) {
      var item = document.createElement('li');
      var button = document.createElement('button');
      button.type = 'button';
      var name = document.createElement('code');
      // A directory drawn as one leaf is a directory too: without its slash it read as a file.
      name.textContent =
        visibleName(pathOf(node)) + (node.c || node.k === 'c' ? '/' : '') + (node.k === 's' ? ' (merged)' : '');
      button.appendChild(name);
      // The copies a later layer hid share their path with the one that replaced it: each says whose it is.
      var hidden = node.k === 'f' && node.h > 0 ? '  (L' + node.l + ', ' + node.x + ' by L' + node.y + ')' : '';
      button.appendChild(document.createTextNode('  '));
      // Kept on one line (page.css): on a phone "26.2 MB" broke into "26.2" at the end of one line and "MB" on the next.
      var size = document.createElement('span');
      size.className = 'size';
      size.textContent = bytes(value(node));
      button.appendChild(size);
      if (hidden) button.appendChild(document.createTextNode(hidden));
      button.addEventListener('click', function () {
        goTo(node);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    return list;
  }
  function goTo(node) {
    marked = node;
    zoom(node.c ? node : node.parent || data.tree, false);
    var at = shown.indexOf(node);
    var el = at >= 0 ? box.querySelector('.cell[data-index="' + at + '"]') : null;
    // A file far smaller than its directory is under a pixel there: the map zoomed with nothing marked, and nothing
    // said why. (The list is a live region: a screen reader hears it too.)
    var unseen = foundBox.querySelector('.unseen');
    if (unseen) unseen.remove();
    if (!el && !node.c) {
      unseen = document.createElement('p');
      unseen.className = 'note unseen';
      unseen.textContent =
        visibleName(pathOf(node)) +
        ' (' +
        bytes(value(node)) +
        ') is too small to draw in ' +
        visibleName(pathOf(focus)) +
        '.';
      // (under the lines that say what was found, on screen and on paper)
      foundBox.insertBefore(unseen, foundBox.querySelector('ol'));
    }
    showZoom();
  }
  // Scrolls as little as brings the whole map into the window, but never past the path above it (and the find box
  // beside it): scrolled to the map's bottom, the list of paths found pushed the path off the top, and what the map
  // had zoomed to was nowhere to be seen. A map that cannot fit with it shows its top under the path.
  function showZoom() {
    var top = (crumbs.parentNode || crumbs).getBoundingClientRect().top + window.scrollY;
    var bottom = box.getBoundingClientRect().bottom + window.scrollY;
    var to = window.scrollY;
    if (to + window.innerHeight < bottom) to = bottom - window.innerHeight;
    if (to > top) to = top;
    if (to !== window.scrollY) window.scrollTo(window.scrollX, to);
  }
  if (findBox && foundBox) {
    var typing = 0;
    // Up and down go through the paths found; up from the first goes back to the box, where typing goes on.
    foundBox.addEventListener('keydown', function (event) {
      // Escape in the list is the box's Escape, and back in the box: it went on to the map, which zoomed out a step
      // at each press while the list and the outline stayed (before a pick it did nothing at all).
      if (event.key === 'Escape') {
        event.stopPropagation();
        clearFound();
        findBox.focus();
        return;
      }
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
      var buttons = Array.prototype.slice.call(foundBox.querySelectorAll('button'));
      var at = buttons.indexOf(document.activeElement);
      if (at < 0) return;
      event.preventDefault(); // the arrows would scroll the page
      var to = at + (event.key === 'ArrowDown' ? 1 : -1);
      if (to < 0) findBox.focus();
      else buttons[Math.min(to, buttons.length - 1)].focus();
    });
    // Escape: the box, the list and the outline emptied; the zoom stays.
    var clearFound = function () {
      clearTimeout(typing);
      findBox.value = '';
      foundBox.textContent = '';
      unmark();
    };
    findBox.addEventListener('input', function () {
      clearTimeout(typing);
      typing = setTimeout(showFound, 120);
    });
    findBox.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        // Enter picks the biggest path found.
        clearTimeout(typing);
        showFound();
        var first = foundBox.querySelector('button');
        if (first) first.click();
      } else if (event.key === 'ArrowDown') {
        // Down from the box goes to what it found, as in a search field's list of suggestions; with nothing found,
        // to the map below, where the arrows go on through its directories.
        clearTimeout(typing);
        showFound();
        var to = foundBox.querySelector('button') || stop;
        if (to) {
          event.preventDefault(); // (the caret would go to the end of the text)
          to.focus();
        }
      } else if (event.key === 'Escape') {
        clearFound();
      }
    });
  }

  // A resize that leaves the map its size draws nothing again: a phone fires them as its toolbars come and go, and a
  // redraw drops the tip a tap showed (and the page's first one came after the first tap on a slow phone).
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      if (box.clientWidth !== drawnSize.width || box.clientHeight !== drawnSize.height) draw();
    }, 100);
  });
  // A reload (or coming back to the page) keeps the zoom it was left at, and the hidden bytes switched off.
  var saved = window.history.state;
  if (hiddenToggle && saved && saved.ballastHidden === false) hiddenToggle.checked = false;
  focus = recall(saved);
  restate();
  draw();
})();
