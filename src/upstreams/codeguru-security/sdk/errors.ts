import { HttpResponse } from '@smithy/protocol-http';

/**
 * CodeGuru Security's modeled errors, shaped like the generated client's ServiceExceptions
 * (`name`, `$fault`, `$metadata.httpStatusCode`, the model's members), so the SDK's retry
 * classification and the subgraph's error mapping treat them as they would the real ones.
 */
export interface ServiceExceptionOptions {
  name: string;
  message: string;
  $fault: 'client' | 'server';
  httpStatusCode: number;
  requestId?: string;
  members?: Record<string, unknown>;
  /** The response's status and headers (not its body), for Retry-After hints. */
  $response?: HttpResponse;
}

export class CodeGuruSecurityServiceException extends Error {
  readonly $fault: 'client' | 'server';
  $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
  declare readonly $response: HttpResponse | undefined;
  [member: string]: unknown;

  constructor(options: ServiceExceptionOptions) {
    super(options.message);
    this.name = options.name;
    this.$fault = options.$fault;
    this.$metadata = { httpStatusCode: options.httpStatusCode, requestId: options.requestId };
    // Not enumerable, as in generated clients: it must not end up in a logged or serialized error.
    Object.defineProperty(this, '$response', { value: options.$response, enumerable: false });
    for (const [key, value] of Object.entries(options.members ?? {})) {
      if (!(key in this)) this[key] = value;
    }
  }
}

export class AccessDeniedException extends CodeGuruSecurityServiceException {}
export class InternalServerException extends CodeGuruSecurityServiceException {
  /** @retryable in the model. */
  readonly $retryable = {};
}
export class ThrottlingException extends CodeGuruSecurityServiceException {
  /** @retryable(throttling: true) in the model. */
  readonly $retryable = { throttling: true };
}
export class ValidationException extends CodeGuruSecurityServiceException {}

const MODELED: Record<string, new (options: ServiceExceptionOptions) => CodeGuruSecurityServiceException> = {
  AccessDeniedException,
  InternalServerException,
  ThrottlingException,
  ValidationException,
};

/** `aws.protocoltests#FooError:http://…` → `FooError`, as the Smithy protocols specify. */
export function sanitizeErrorType(raw: string): string {
  const beforeColon = raw.split(':')[0]!;
  return beforeColon.includes('#') ? beforeColon.slice(beforeColon.lastIndexOf('#') + 1) : beforeColon;
}

/**
 * restJson1 error parsing as the SDK does it: the type from `X-Amzn-Errortype`, else body
 * `code`, else body `__type`; the message from `message`/`Message`. Non-JSON bodies (a proxy's
 * HTML page) still give a typed error from the status.
 */
export function errorFromResponse(status: number, headers: Record<string, string>, text: string): CodeGuruSecurityServiceException {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: fall back to the status below.
  }
  const lower = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
  const rawType = lower['x-amzn-errortype'] ?? (typeof body.code === 'string' ? body.code : undefined) ?? (typeof body.__type === 'string' ? body.__type : undefined);
  const name = rawType ? sanitizeErrorType(rawType) : status === 429 ? 'ThrottlingException' : status >= 500 ? 'InternalServerException' : `UnknownError${status}`;
  const message = String(body.message ?? body.Message ?? `CodeGuru Security answered HTTP ${status}`);
  const Exception = MODELED[name] ?? CodeGuruSecurityServiceException;
  return new Exception({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    httpStatusCode: status,
    requestId: lower['x-amzn-requestid'],
    members: body,
    $response: new HttpResponse({ statusCode: status, headers }),
  });
}
