/**
 * Logging: a four-method interface any logger (console, pino, winston…) satisfies, and a wrapper that
 * filters by level and scrubs every message and field through a {@link Redactor} before it leaves.
 *
 * @module
 */
import type { Redactor } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };
const METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** A logger that writes one line per entry to stderr, e.g. `[mediaferry] warn retrying … {"attempt":1}`. */
export function consoleLogger(prefix = 'mediaferry'): Logger {
  const write = (level: string) => (message: string, fields?: LogFields) => {
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`[${prefix}] ${level} ${message}${tail}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The level from `MEDIAFERRY_LOG` (debug|info|warn|error|off), or `fallback`. */
export function levelFromEnv(fallback: LogLevel): LogLevel {
  const raw = process.env.MEDIAFERRY_LOG?.toLowerCase();
  return raw && raw in ORDER ? (raw as LogLevel) : fallback;
}

/**
 * Whether `logger` writes entries of `level`: false for a method {@link redactingLogger} dropped. Lets a
 * caller skip building a message that costs something to make (a redacted URL on every request).
 */
export function logs(logger: Logger, level: Exclude<LogLevel, 'off'>): boolean {
  return logger[level] !== silentLogger[level];
}

/** Wraps `inner` so that entries below `level` are dropped and everything else is redacted. */
export function redactingLogger(inner: Logger, redactor: Redactor, level: LogLevel): Logger {
  const out = { ...silentLogger };
  for (const method of METHODS) {
    if (ORDER[method] < ORDER[level]) continue;
    out[method] = (message, fields) => {
      const safeFields = fields === undefined ? undefined : (redactor.value(fields) as LogFields);
      if (safeFields === undefined) inner[method](redactor.text(message));
      else inner[method](redactor.text(message), safeFields);
    };
  }
  return out;
}
