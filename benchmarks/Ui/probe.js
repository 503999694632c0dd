// Runs in every benchmark page before the app's own scripts (Playwright init script). It watches the document with
// one MutationObserver and records, in the page's own clock (performance.timeOrigin + performance.now(), ms since
// the Unix epoch), when the agents table first shows rows and when each row's health badge changes.
(() => {
  const b = (window.__bench = { rowsAt: null, log: [], watching: false, seen: new Map(), waiters: [], inputAt: null, clickAt: null });
  const rowInfo = (tr) => {
    const a = tr.querySelector('td[data-label="Name"] a.agent-link');
    const s = tr.querySelector('td[data-label="Health"] .status-badge');
    return a && s ? [a.textContent.trim(), s.getAttribute('data-status')] : null;
  };
  b.rows = () => Array.from(document.querySelectorAll('table tbody tr')).map(rowInfo).filter((r) => r);
  b.pagerText = () => document.querySelector('.mud-table-pagination-caption:last-of-type, .mud-table-page-number-information')?.textContent ?? '';
  let rowsResolve;
  // Resolves with the time rows were first in the DOM and the time of the frame after it (on screen).
  b.rowsVisible = new Promise((r) => (rowsResolve = r));
  const check = (w, now) => {
    let ok = false;
    try { ok = w.pred(b); } catch { ok = false; }
    if (ok) w.resolve(now);
    return ok;
  };
  // Sets armedAt to performance.now() of the first DOM change after which pred(__bench) holds.
  b.arm = (pred) => { b.armedAt = null; const w = { pred, resolve: (t) => { b.armedAt = t; } }; if (!check(w, performance.now())) b.waiters.push(w); };
  // Starts the change log from what the rows show now.
  b.watch = () => { b.seen.clear(); for (const [n, s] of b.rows()) b.seen.set(n, s); b.log = []; b.watching = true; return b.seen.size; };
  const observer = new MutationObserver((mutations) => {
    const now = performance.now();
    if (b.rowsAt === null && document.querySelector('table tbody tr td[data-label="Name"] a.agent-link')) {
      b.rowsAt = now;
      requestAnimationFrame(() => rowsResolve({ dom: now, frame: performance.now() }));
    }
    if (b.watching) {
      const rows = new Set();
      for (const m of mutations) {
        const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        const tr = el && el.closest ? el.closest('tr') : null;
        if (tr) rows.add(tr);
        for (const n of m.addedNodes) {
          if (n.nodeType !== 1) continue;
          if (n.matches('tr')) rows.add(n);
          n.querySelectorAll('tr').forEach((r) => rows.add(r));
        }
      }
      for (const tr of rows) {
        const r = rowInfo(tr);
        if (r && b.seen.get(r[0]) !== r[1]) {
          b.seen.set(r[0], r[1]);
          b.log.push([r[0], r[1], performance.timeOrigin + now]);
        }
      }
    }
    if (b.waiters.length) b.waiters = b.waiters.filter((w) => !check(w, now));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener('input', () => { b.inputAt = performance.now(); }, true);
  document.addEventListener('click', () => { b.clickAt = performance.now(); }, true);
})();
