// Types for the two @stroncium/procfs parsers ProcScope uses (the package ships none). Text in, object out.
declare module '@stroncium/procfs/lib/parsers/processLimits' {
  function parseLimits(text: string): { name: string; soft: number | undefined; hard: number | undefined; units: string | undefined }[];
  export = parseLimits;
}
declare module '@stroncium/procfs/lib/parsers/processIo' {
  function parseIo(text: string): {
    read?: number;
    write?: number;
    readSyscalls?: number;
    writeSyscalls?: number;
    readReal?: number;
    writeReal?: number;
    writeCancelled?: number;
  };
  export = parseIo;
}
