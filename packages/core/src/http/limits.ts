/**
 * The limits of a client and of each call, checked before any request: every time limit must fit a timer
 * (a longer one would fire at once), every size must be a positive whole number.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
import { MAX_TIMER_MS } from '../retry/wait-ms.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './read-body.js';
import type { MinThroughput } from './types.js';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MIN_THROUGHPUT: MinThroughput = { bytesPerSecond: 1024, windowMs: 30_000 };

function checkDuration(value: number | undefined, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS)
    throw new InvalidInputError(field, `must be a number of ms above 0 and at most ${MAX_TIMER_MS}`);
}

function checkWhole(value: number | undefined, field: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min)
    throw new InvalidInputError(field, `must be a whole number ≥ ${min}`);
}

function checkThroughput(value: MinThroughput | undefined, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null)
    throw new InvalidInputError(field, 'must be { bytesPerSecond, windowMs }');
  if (!(Number.isFinite(value.bytesPerSecond) && value.bytesPerSecond >= 0))
    throw new InvalidInputError(`${field}.bytesPerSecond`, 'must be a number ≥ 0');
  checkDuration(value.windowMs, `${field}.windowMs`);
}

interface Limits {
  readonly timeout?: number | undefined;
  readonly transferTimeout?: number | undefined;
  readonly idleTimeout?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly maxResponseBytes?: number | undefined;
  readonly minThroughput?: MinThroughput | undefined;
}

/** Checks the limits given to a client or a call. */
export function checkLimits(options: Limits): void {
  checkDuration(options.timeout, 'timeout');
  checkDuration(options.transferTimeout, 'transferTimeout');
  checkDuration(options.idleTimeout, 'idleTimeout');
  checkWhole(options.maxRetries, 'maxRetries', 0);
  checkWhole(options.maxResponseBytes, 'maxResponseBytes', 1);
  checkThroughput(options.minThroughput, 'minThroughput');
}

/** The limits in force for one call: the call's, else the client's, else the defaults. */
export interface EffectiveLimits {
  readonly timeoutMs: number;
  /** The whole transfer of a streamed body: `timeout`, or `transferTimeout` when longer. */
  readonly transferMs: number;
  readonly idleTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly minThroughput: MinThroughput;
}

export function effectiveLimits(call: Limits, client: Limits): EffectiveLimits {
  const timeoutMs = call.timeout ?? client.timeout ?? DEFAULT_TIMEOUT_MS;
  const transfer = call.transferTimeout ?? client.transferTimeout;
  return {
    timeoutMs,
    transferMs: Math.max(timeoutMs, transfer ?? 0),
    idleTimeoutMs: call.idleTimeout ?? client.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxResponseBytes: call.maxResponseBytes ?? client.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    minThroughput: call.minThroughput ?? client.minThroughput ?? DEFAULT_MIN_THROUGHPUT,
  };
}
