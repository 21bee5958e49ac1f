import { describe, expect, it } from 'vitest';
import { itemError, toSubgraphError } from '../../src/errors.js';
import { classifyAwsError } from '../../src/reliability/aws-error-kinds.js';
import { failureKindOf, withFailure, type FailureKind } from '../../src/reliability/failure-kinds.js';

const UPSTREAM = { name: 'example', label: 'Example' };
const named = (name: string, status?: number) => Object.assign(new Error('x'), { name, $metadata: { httpStatusCode: status } });

describe('failure kinds', () => {
  it('AWS errors get their kind by name first, status second, at the client boundary', () => {
    const cases: Array<[unknown, FailureKind]> = [
      [named('ThrottlingException', 400), 'throttled'],
      [named('SomethingElse', 429), 'throttled'],
      [named('UnrecognizedClientException', 403), 'forbidden'],
      [named('ValidationException', 400), 'bad-input'],
      [named('InvalidInputException', 400), 'bad-input'],
      [named('ResourceNotFoundException', 404), 'not-found'],
      [named('RequestTimeoutException', 408), 'upstream-timeout'],
      [named('InternalServerException', 500), 'failed'],
      [Object.assign(new Error('reset'), { name: 'TimeoutError', code: 'ECONNRESET' }), 'unreachable'],
      [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'budget-expired'],
    ];
    for (const [error, kind] of cases) expect(failureKindOf(classifyAwsError(error)), String((error as Error).name)).toBe(kind);
    // A kind the HTTP handler set stays.
    expect(failureKindOf(classifyAwsError(withFailure(named('TimeoutError'), { kind: 'attempt-timeout' })))).toBe('attempt-timeout');
  });

  it('one table maps kinds to codes, messages and upstreamCodes', () => {
    const answer = (error: unknown, subject?: string) => {
      const mapped = toSubgraphError(error, UPSTREAM, subject);
      return [mapped.code, mapped.extensions.upstreamCode, mapped.message];
    };
    expect(answer(classifyAwsError(named('ValidationException', 400)), 'key "k"')).toEqual([
      'BAD_USER_INPUT',
      'ValidationException',
      'Example rejected key "k" as invalid.',
    ]);
    expect(answer(withFailure(new Error('x'), { kind: 'bad-input', detail: 'id must be numeric' }), 'scan "a"')).toEqual([
      'BAD_USER_INPUT',
      undefined,
      'Example refused scan "a": id must be numeric',
    ]);
    expect(
      answer(withFailure(new Error('x'), { kind: 'rate-deferred', detail: 'per source IP', retryAfterSeconds: 3 }), 'scan "a"'),
    ).toEqual([
      'THROTTLED',
      'RateLimited',
      `Example's rate limit (per source IP) leaves no room to fetch scan "a" within this request's time budget; retry in about 3 s.`,
    ]);
    expect(answer(withFailure(new Error('x'), { kind: 'circuit-open' }))).toEqual([
      'UPSTREAM_ERROR',
      'CIRCUIT_OPEN',
      'Example is unavailable (it failed repeatedly, so calls are paused); retry later.',
    ]);
    expect(answer(withFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), { kind: 'unreachable' }))).toEqual([
      'UPSTREAM_ERROR',
      'ECONNREFUSED',
      'Could not reach Example: the connection was refused.',
    ]);
    expect(answer(classifyAwsError(named('InternalServerException', 500)))).toEqual([
      'UPSTREAM_ERROR',
      'InternalServerException',
      'Example failed to answer (HTTP 500).',
    ]);
    // An aborted request's signal makes any failure the budget's.
    const controller = new AbortController();
    controller.abort();
    expect(
      toSubgraphError(named('ThrottlingException', 400), UPSTREAM, undefined, { signal: controller.signal }).extensions.upstreamCode,
    ).toBe('BUDGET_EXPIRED');
  });

  it('per-item upstream codes map to kinds through one helper; unknown codes are failures', () => {
    const kinds = { GONE: 'not-found', NOPE: 'forbidden' } as const;
    const message = (kind: FailureKind) => `item: ${kind}`;
    expect(
      [
        itemError(UPSTREAM, 'GONE', kinds, message),
        itemError(UPSTREAM, 'NOPE', kinds, message),
        itemError(UPSTREAM, 'toString', kinds, message),
      ].map((e) => [e.code, e.message, e.extensions.upstreamCode]),
    ).toEqual([
      ['NOT_FOUND', 'item: not-found', 'GONE'],
      ['FORBIDDEN', 'item: forbidden', 'NOPE'],
      ['UPSTREAM_ERROR', 'item: failed', 'toString'],
    ]);
  });
});
