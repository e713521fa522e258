// Injected into Warren's page by the benchmark (page.addInitScript) before the app loads; exposes `window.__bench`.
// Browser code, not part of the Node TypeScript program. Reads only: it never changes what the app does.
(() => {
  /** wall-clock ms (comparable with Node's performance.timeOrigin + performance.now()) */
  const now = () => performance.timeOrigin + performance.now();
  /** payload bytes that arrived over the contract's socket (frame = u32 header length, header, blobs); frames of 50 ms or more (jank) */
  const stats = { bytes: 0, longFrames: [], keydown: 0, sent: 0, received: 0 };
  // the contract's socket lives in a worker (renderer/lib/socketWorker.ts): its frames pass the page's Worker object
  const count = (data) => {
    if (data instanceof ArrayBuffer && data.byteLength >= 4) stats.bytes += data.byteLength - 4 - new DataView(data).getUint32(0);
  };
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (options?.name !== 'warren-socket') return;
      this.addEventListener('message', (e) => {
        if (!(e.data instanceof ArrayBuffer)) return;
        stats.received = now();
        count(e.data);
      });
    }
    postMessage(data, transfer) {
      if (data instanceof ArrayBuffer) stats.sent = now();
      super.postMessage(data, transfer);
    }
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) stats.longFrames.push(e.duration);
  }).observe({ type: 'long-animation-frame' });
  addEventListener('keydown', () => (stats.keydown = now()), true);

  const pane = () => document.querySelector('[data-testid=terminal][data-active=true]');

  /** The xterm instance behind a pane, found through React's fiber (the app exposes no handle): used only without DOM rows (WebGL). */
  function termOf(p) {
    const host = p?.querySelector('.term-host');
    const key = host && Object.keys(host).find((k) => k.startsWith('__reactFiber$'));
    for (let f = key ? host[key] : null; f; f = f.return) {
      for (let h = f.memoizedState; h && typeof h === 'object' && 'next' in h; h = h.next) {
        if (h.memoizedState?.term?.buffer) return h.memoizedState.term;
      }
    }
    return null;
  }

  /** the visible text of the active terminal, one line per row: the DOM renderer's rows, else xterm's buffer (parsed; drawn on the next frame) */
  function screen(p = pane()) {
    const rows = p?.querySelector('.xterm-rows');
    if (rows) return Array.from(rows.children, (r) => r.textContent.replace(/\u00a0/g, ' ')).join('\n');
    const term = termOf(p);
    if (!term) return '';
    const buf = term.buffer.active;
    const lines = [];
    for (let y = buf.viewportY; y < buf.viewportY + term.rows; y++) lines.push(buf.getLine(y)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  let watched = null;
  /** arm a watch on the active terminal: `watched` resolves with the moments of the last keydown and of `text` on screen */
  function watch(text) {
    const p = pane();
    const rows = p?.querySelector('.xterm-rows');
    watched = new Promise((resolve) => {
      let stop = () => {};
      const check = () => {
        if (!screen(p).includes(text)) return;
        const shown = now();
        stop();
        resolve({ keydown: stats.keydown, sent: stats.sent, received: stats.received, shown });
      };
      if (rows) {
        const mo = new MutationObserver(check);
        mo.observe(rows, { childList: true, subtree: true, characterData: true });
        stop = () => mo.disconnect();
      } else {
        const d = termOf(p).onRender(check);
        stop = () => d.dispose();
      }
      check();
    });
  }

  window.__bench = {
    screen: () => screen(),
    has: (text) => screen().includes(text),
    lacks: (text) => !screen().includes(text),
    tabActive: (i) => document.querySelectorAll('[data-testid=tab]')[i]?.getAttribute('data-active') === 'true',
    renderer: () => pane()?.getAttribute('data-renderer') ?? null,
    watch,
    watched: () => watched,
    /** take (and reset) the counters */
    take: () => {
      const out = { bytes: stats.bytes, longFrames: stats.longFrames };
      stats.bytes = 0;
      stats.longFrames = [];
      return out;
    },
  };
})();
