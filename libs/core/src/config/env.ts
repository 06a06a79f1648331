/** The environment a config is loaded from: `process.env` at launch, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * A whole number from `env[name]`, or `fallback` when unset or empty. Digits only (no `1e3`, no
 * `0x10`, no sign), at least `min` (0 unless told), and a safe integer.
 */
export function envInteger(env: Env, name: string, fallback: number, { min = 0, unit }: { min?: number; unit?: string } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    const kind = min > 0 ? 'a positive whole number' : 'a whole number';
    throw new ConfigError(`${name} must be ${kind}${unit ? ` of ${unit}` : ''}${min > 1 ? ` of at least ${min}` : ''}, not "${raw}"`);
  }
  return value;
}

/** `true` or `false` from `env[name]`; unset or empty is false. */
export function envBoolean(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`${name} must be "true" or "false", not "${raw}"`);
}

/** `env[name]` when set and not empty, else `fallback`. */
export function envString(env: Env, name: string): string | undefined;
export function envString(env: Env, name: string, fallback: string): string;
export function envString(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

/** A comma-separated list from `env[name]`, trimmed, empty entries dropped. */
export function envList(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
}
