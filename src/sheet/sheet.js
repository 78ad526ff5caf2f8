// cutline contact sheet: severity and code filters, search, keyboard navigation. No network.
(function () {
  'use strict';
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.card'));
  var form = document.querySelector('form.controls');
  var search = document.getElementById('q');
  var code = document.getElementById('code');
  var shown = document.getElementById('shown');
  var empty = document.getElementById('empty');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=sev]'));

  function has(list, word) {
    return (' ' + list + ' ').indexOf(' ' + word + ' ') >= 0;
  }

  function apply() {
    var q = search.value.trim().toLowerCase();
    var want = code.value;
    var sevs = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var n = 0;
    cards.forEach(function (card) {
      var bySeverity = sevs.some(function (s) { return has(card.dataset.sevs, s); });
      var byCode = !want || has(card.dataset.codes, want);
      var byText = !q || card.dataset.text.indexOf(q) >= 0;
      var show = bySeverity && byCode && byText;
      card.hidden = !show;
      if (show) { n += 1; }
    });
    shown.textContent = String(n);
    empty.hidden = n !== 0;
  }

  function visible() {
    return cards.filter(function (c) { return !c.hidden; });
  }

  function move(step) {
    var list = visible();
    if (list.length === 0) { return; }
    var at = list.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + step));
    list[next].focus();
    list[next].scrollIntoView({ block: 'nearest' });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var typing = e.target === search || e.target === code;
    if (e.key === 'Escape') {
      search.value = '';
      apply();
      if (typing) { e.target.blur(); }
      return;
    }
    if (typing) { return; }
    switch (e.key) {
      case 'j': case 'ArrowRight': case 'ArrowDown': move(1); break;
      case 'k': case 'ArrowLeft': case 'ArrowUp': move(-1); break;
      case 'Home': move(-cards.length); break;
      case 'End': move(cards.length); break;
      case '/': search.focus(); break;
      default: return;
    }
    e.preventDefault();
  });

  apply();
}());
