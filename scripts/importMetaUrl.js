/* global require, __filename */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bundle has require, not import.meta */
// Injected into the CommonJS Node bundles as the value of `import.meta.url` (see build.mjs): the URL of
// the bundle file itself.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
