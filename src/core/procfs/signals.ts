// Signal masks from /proc/PID/status (SigPnd, ShdPnd, SigBlk, SigIgn, SigCgt) decoded to names.
// Own code: @stroncium/procfs splits these masks into two 32-bit integers and names nothing.

/** Linux x86_64 (and arm64, riscv) numbering, 1..31; index = signal number. */
const STANDARD: readonly string[] = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

/** glibc keeps 32 and 33 for itself (thread cancellation, setxid), so its SIGRTMIN is 34. */
const GLIBC_RTMIN = 34;
const RTMAX = 64;

/** The name `kill -l` prints (bash on glibc): SIGRTMIN+n up to 49, SIGRTMAX-n from 50; 32/33 as SIG32/SIG33. */
export function signalName(signal: number): string {
  if (signal >= 1 && signal < STANDARD.length) return STANDARD[signal] ?? `SIG${signal}`;
  if (signal >= GLIBC_RTMIN && signal <= RTMAX) {
    const fromMin = signal - GLIBC_RTMIN;
    const fromMax = RTMAX - signal;
    if (fromMin === 0) return 'SIGRTMIN';
    if (fromMax === 0) return 'SIGRTMAX';
    return fromMin <= 15 ? `SIGRTMIN+${fromMin}` : `SIGRTMAX-${fromMax}`;
  }
  return `SIG${signal}`;
}

export interface DecodedSignals {
  readonly hex: string;
  readonly numbers: readonly number[];
  readonly names: readonly string[];
}

/** A mask as status prints it (hex, bit n-1 = signal n, up to 64 bits); undefined if it is not hex. */
export function decodeSignalMask(hex: string): DecodedSignals | undefined {
  const text = hex.trim();
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined;
  // BigInt: a 64-bit mask does not fit a double.
  const mask = BigInt(`0x${text}`);
  const numbers: number[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if ((mask >> BigInt(bit)) & 1n) numbers.push(bit + 1);
  }
  return { hex: text, numbers, names: numbers.map(signalName) };
}
