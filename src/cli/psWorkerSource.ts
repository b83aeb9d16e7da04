// The source of `procscope ps`'s second reading thread as one string, so that the bundle stays one file and
// the thread loads only the reader. Run from the TypeScript sources it is undefined (ps.ts then starts
// psWorkerThread.ts through tsx); scripts/build.mjs replaces this module in dist/cli.js by a module that
// exports psWorkerThread.ts bundled on its own.
export const PS_WORKER_SOURCE: string | undefined = undefined;
