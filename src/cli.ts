// procscope command-line entry.
export {};
