// The debuggee's child process: idles until killed, at most two minutes.
'use strict';
setTimeout(() => process.exit(0), 120_000);
