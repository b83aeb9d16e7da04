// Webview entry point (the panel UI is built in this folder).
document.body.textContent = 'ProcScope';
