import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  InvalidInputError,
  isApiError,
  MediaferryError,
  NotFoundError,
  RateLimitError,
  RequestTimeoutError,
  ServiceUnavailableError,
  TimeoutError,
} from '../src/index.js';

const request = { method: 'GET', url: 'https://api.example/x' };
const base = { service: 'test', headers: new Headers(), message: 'nope', request };

describe('error tree', () => {
  it('picks the subclass by status and keeps the fields', () => {
    const error = ApiError.fromInit({ ...base, status: 404, code: 'not_found', requestId: 'rid-1' });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(MediaferryError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RateLimitError);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe('test 404 not_found: nope (GET https://api.example/x) [request id rid-1]');
    expect(ApiError.fromInit({ ...base, status: 500 }).name).toBe('InternalServerError');
    expect(ApiError.fromInit({ ...base, status: 503 })).toBeInstanceOf(InternalServerError);
    expect(ApiError.fromInit({ ...base, status: 503 }).name).toBe('ServiceUnavailableError');
    expect(ApiError.fromInit({ ...base, status: 408 }).name).toBe('RequestTimeoutError');
    expect(ApiError.fromInit({ ...base, status: 418 }).constructor).toBe(ApiError);
  });

  it('tags a service subclass with the status class', () => {
    class ServiceError extends ApiError {}
    const error = new ServiceError({ ...base, status: 401, code: 'expired_auth_token' });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).not.toBeInstanceOf(NotFoundError);
    expect(isApiError(error)).toBe(true);
    const busy = new ServiceError({ ...base, status: 503 });
    expect(busy).toBeInstanceOf(ServiceUnavailableError);
    expect(busy).toBeInstanceOf(InternalServerError);
    expect(busy).not.toBeInstanceOf(RequestTimeoutError);
    expect(new ServiceError({ ...base, status: 408 })).toBeInstanceOf(RequestTimeoutError);
  });

  it('recognises errors from another copy of the package by brand', () => {
    // Simulates a duplicate install: a structurally separate class hierarchy with the same names.
    class MediaferryErrorCopy extends Error {}
    const foreign = Object.create(MediaferryErrorCopy.prototype) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for('mediaferry.error.kinds'), {
      value: ['RateLimitError', 'ApiError', 'MediaferryError'],
    });
    expect(foreign).toBeInstanceOf(RateLimitError);
    expect(foreign).toBeInstanceOf(ApiError);
    expect(foreign).not.toBeInstanceOf(NotFoundError);
    expect({}).not.toBeInstanceOf(MediaferryError);
  });

  it('names the field and rule of invalid input, and timeouts are connection errors', () => {
    const error = new InvalidInputError('bucketName', 'must be 6–63 characters');
    expect(error.message).toBe('Invalid bucketName: must be 6–63 characters');
    expect([error.field, error.rule]).toEqual(['bucketName', 'must be 6–63 characters']);
    expect(new TimeoutError('slow', 5)).toBeInstanceOf(ConnectionError);
  });
});
