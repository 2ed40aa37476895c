/** An error response a route wants to send, rendered in the service's own error shape. */
export interface ErrorSpec {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Thrown by {@link fail}; the framework turns it into the service's `errorResponse`. */
export class HttpFailure extends Error implements ErrorSpec {
  override readonly name = 'HttpFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Stops the current request with an error response in the service's format. */
export function fail(status: number, code: string, message: string, headers?: Record<string, string>): never {
  throw new HttpFailure(status, code, message, headers);
}
