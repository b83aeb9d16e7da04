// What a DAP recording (PROCSCOPE_RECORD_DAP, used to make test fixtures) keeps of a message. No vscode import.
/**
 * A copy of a DAP message for a recording with every `env` object's values replaced (a launch request's
 * `arguments.env`, a runInTerminal request's): environments may hold secrets, and nothing the resolution
 * reads is in them. The names stay, so a recording still shows which variables were set.
 */
export function withoutEnv<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutEnv(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'env' && typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).map((name) => [name, '(not recorded)']))
        : withoutEnv(v);
  }
  return out as T;
}
