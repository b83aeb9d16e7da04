// The debuggee's worker thread: reports its own LWP (kernel thread id) and idles until terminated.
'use strict';
const { readlinkSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');

// /proc/thread-self -> "<pid>/task/<tid>"
parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));
setInterval(() => undefined, 1000);
