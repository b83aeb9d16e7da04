/* global window, document, sessionStorage */
// Fake VS Code webview environment for tests: acquireVsCodeApi (once per page, state kept in sessionStorage
// like VS Code keeps it across reloads) and a record of CSP violations. Loaded by nonce before webview.js.
(() => {
  const violations = [];
  window.__violations = violations;
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.__posted = [];
  const saved = sessionStorage.getItem('vscodeState');
  let state = saved === null ? undefined : JSON.parse(saved);
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(message) {
        // VS Code serializes messages; a non-serializable message would fail there too.
        const copy = JSON.parse(JSON.stringify(message));
        window.__posted.push(copy);
        if (typeof window.__hostReceive === 'function') window.__hostReceive(copy);
      },
      getState() {
        return state;
      },
      setState(next) {
        state = JSON.parse(JSON.stringify(next));
        sessionStorage.setItem('vscodeState', JSON.stringify(state));
        return next;
      },
    });
  };
})();
