import { BatchGetFindingDetailsCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import {
  BatchGetFindingsCommand,
  CodeGuruSecurityClient,
  CodeGuruSecurityServiceException,
  ThrottlingException,
  ValidationException,
} from '../src/upstreams/codeguru-security/sdk/index.js';
import { parseAmzDate, ParityMock, SUCCESS_BODY, type MockAnswer, type MockRequest, type Service } from './support/parity-mock.js';

// The hand-built CodeGuru Security client against the generated Inspector2 client, on the same
// mock answers: wherever the SDK has a behaviour (clock skew, user agent, request ids, error
// parsing, retryability), both clients must show the same one. Requests are counted at the mock.

const mock = new ParityMock();
beforeAll(() => mock.start());
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const ARN = 'arn:aws:inspector2:eu-central-1:111122223333:finding/0123456789abcdef0123456789abcdef';
const options = () => ({
  region: 'eu-central-1',
  endpoint: mock.url,
  credentials: { ...EMULATOR_CREDENTIALS },
  // Retries in milliseconds: no test waits for the SDK's real backoff.
  retryStrategy: new ConfiguredRetryStrategy(3, 1),
});

interface Outcome {
  ok: boolean;
  name?: string;
  fault?: string;
  message?: string;
  metadata: Record<string, unknown>;
  requests: MockRequest[];
  error?: unknown;
  systemClockOffset: number;
}

/** Runs one call with each client (fresh clients) and reports what each saw. */
async function both(): Promise<Record<Service, Outcome>> {
  const run = async (
    service: Service,
    client: CodeGuruSecurityClient | Inspector2Client,
    send: () => Promise<{ $metadata: object }>,
  ): Promise<Outcome> => {
    const before = mock.of(service).length;
    try {
      const output = await send();
      return {
        ok: true,
        metadata: { ...output.$metadata },
        requests: mock.of(service).slice(before),
        systemClockOffset: Number(client.config.systemClockOffset),
      };
    } catch (error) {
      const e = error as { name?: string; $fault?: string; message?: string; $metadata?: object };
      return {
        ok: false,
        name: e.name,
        fault: e.$fault,
        message: e.message,
        metadata: { ...e.$metadata },
        requests: mock.of(service).slice(before),
        error,
        systemClockOffset: Number(client.config.systemClockOffset),
      };
    } finally {
      client.destroy();
    }
  };
  const codeguru = new CodeGuruSecurityClient(options());
  const inspector = new Inspector2Client(options());
  return {
    'codeguru-security': await run('codeguru-security', codeguru, () =>
      codeguru.send(new BatchGetFindingsCommand({ findingIdentifiers: [{ scanName: 's', findingId: 'f' }] })),
    ),
    inspector2: await run('inspector2', inspector, () => inspector.send(new BatchGetFindingDetailsCommand({ findingArns: [ARN] }))),
  };
}

const answerWith = (answer: Partial<MockAnswer> | ((request: MockRequest) => Partial<MockAnswer>)) => {
  mock.answer = (request) => {
    const a = typeof answer === 'function' ? answer(request) : answer;
    return { status: a.status ?? 200, headers: a.headers, body: a.body ?? SUCCESS_BODY[request.service] };
  };
};

describe('clock skew: both clients correct it from the Date header and re-sign', () => {
  /** Refuses a signature more than 5 minutes from the mock's clock, as AWS does. */
  const refuseSkewed = (request: MockRequest): Partial<MockAnswer> => {
    const signed = parseAmzDate(request.headers['x-amz-date']);
    const now = mock.now();
    if (signed && Math.abs(now.getTime() - signed.getTime()) <= 5 * 60_000) return { status: 200 };
    return {
      status: 403,
      headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
      body: JSON.stringify({
        message: `Signature expired: ${request.headers['x-amz-date']} is now earlier than ${now.toISOString()} - 5 min.`,
      }),
    };
  };

  it('a server clock one hour ahead costs one refused attempt, then succeeds', async () => {
    mock.clockOffsetMs = 3_600_000;
    answerWith(refuseSkewed);
    const outcomes = await both();
    for (const outcome of Object.values(outcomes)) {
      expect(outcome).toMatchObject({ ok: true, metadata: { httpStatusCode: 200, attempts: 2 } });
      expect(outcome.requests).toHaveLength(2);
      const [first, second] = outcome.requests.map((request) => parseAmzDate(request.headers['x-amz-date'])!.getTime());
      expect(second! - first!).toBeGreaterThan(3_500_000);
      expect(Math.abs(outcome.systemClockOffset - 3_600_000)).toBeLessThan(60_000);
    }
  });

  it('a clock one hour behind is corrected the same way', async () => {
    mock.clockOffsetMs = -3_600_000;
    answerWith(refuseSkewed);
    const outcomes = await both();
    expect(outcomes['codeguru-security']).toMatchObject({ ok: true, metadata: { attempts: 2 } });
    expect(outcomes.inspector2).toMatchObject({ ok: true, metadata: { attempts: 2 } });
  });

  it('marks a refusal after a correction clockSkewCorrected; retries stay bounded by maxAttempts', async () => {
    mock.clockOffsetMs = 3_600_000;
    // The server's clock runs away by another hour per request, so every refusal brings a new offset.
    answerWith(() => {
      mock.clockOffsetMs += 3_600_000;
      return {
        status: 403,
        headers: { 'x-amzn-errortype': 'AccessDeniedException' },
        body: '{"message":"Signature expired","errorCode":"ACCESS_DENIED"}',
      };
    });
    const outcomes = await both();
    const summary = (outcome: Outcome) => ({
      ok: outcome.ok,
      name: outcome.name,
      metadata: outcome.metadata,
      calls: outcome.requests.length,
    });
    expect(summary(outcomes['codeguru-security'])).toEqual(summary(outcomes.inspector2));
    expect(outcomes['codeguru-security']).toMatchObject({
      ok: false,
      name: 'AccessDeniedException',
      metadata: { httpStatusCode: 403, clockSkewCorrected: true, attempts: 3 },
    });
    expect(outcomes['codeguru-security'].requests).toHaveLength(3);
  });

  it('a small skew is learned from successful answers without any refusal', async () => {
    mock.clockOffsetMs = 120_000;
    const outcomes = await both();
    for (const outcome of Object.values(outcomes)) {
      expect(outcome.requests).toHaveLength(1);
      expect(Math.abs(outcome.systemClockOffset - 120_000)).toBeLessThan(60_000);
    }
  });
});

describe('headers the SDK sends', () => {
  it('user-agent and x-amz-user-agent, the same apart from the service and version', async () => {
    const outcomes = await both();
    const normalise = (value: unknown) =>
      String(value)
        .replace(/api\/(codeguru-security|inspector2)#[\d.]+/, 'api/SERVICE')
        .replace(/aws-sdk-js\/[\d.]+/, 'aws-sdk-js/V')
        .replace(/ m\/\S+/, ' m/FEATURES');
    const [codeguru, inspector] = [outcomes['codeguru-security'].requests[0]!, outcomes.inspector2.requests[0]!];
    expect(codeguru.headers['x-amz-user-agent']).toMatch(/^aws-sdk-js\/\d+\.\d+\.\d+/);
    expect(String(codeguru.headers['user-agent'])).toContain('api/codeguru-security#');
    expect(normalise(codeguru.headers['user-agent'])).toBe(normalise(inspector.headers['user-agent']));
    expect(normalise(codeguru.headers['x-amz-user-agent'])).toBe(normalise(inspector.headers['x-amz-user-agent']));
    for (const name of [
      'amz-sdk-invocation-id',
      'amz-sdk-request',
      'content-type',
      'content-length',
      'x-amz-date',
      'x-amz-content-sha256',
    ]) {
      expect([name, typeof codeguru.headers[name]]).toEqual([name, typeof inspector.headers[name]]);
    }
  });
});

describe('request ids', () => {
  for (const header of ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id']) {
    it(`are read from ${header}, on success and on error`, async () => {
      answerWith({ headers: { [header]: 'req-1' } });
      let outcomes = await both();
      expect(outcomes['codeguru-security'].metadata.requestId).toBe('req-1');
      expect(outcomes.inspector2.metadata.requestId).toBe('req-1');
      answerWith({ status: 400, headers: { [header]: 'req-2', 'x-amzn-errortype': 'ValidationException' }, body: '{"message":"no"}' });
      outcomes = await both();
      expect(outcomes['codeguru-security'].metadata.requestId).toBe('req-2');
      expect(outcomes.inspector2.metadata.requestId).toBe('req-2');
    });
  }
});

describe('error types and retryability, exactly as the SDK', () => {
  const cases: Array<[string, Partial<MockAnswer>]> = [
    [
      'a joined error-type header (first one wins)',
      { status: 400, headers: { 'x-amzn-errortype': 'ValidationException,SomethingElse' }, body: '{"message":"bad"}' },
    ],
    [
      'a header with a namespace and a URL',
      {
        status: 400,
        headers: { 'x-amzn-errortype': 'aws.protocoltests#ValidationException:http://internal.amazon.com/' },
        body: '{"message":"bad"}',
      },
    ],
    ['body code', { status: 400, body: '{"code":"ValidationException","Message":"bad"}' }],
    ['body __type with a namespace', { status: 400, body: '{"__type":"com.amazonaws.x#ValidationException","message":"bad"}' }],
    [
      'an unmodeled error',
      { status: 409, headers: { 'x-amzn-errortype': 'ConflictException' }, body: '{"message":"busy","resourceId":"r"}' },
    ],
    [
      'throttling by name at HTTP 400',
      { status: 400, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: '{"message":"slow down"}' },
    ],
    ['HTTP 429 without a type', { status: 429, body: '{}' }],
    ['HTTP 500', { status: 500, headers: { 'x-amzn-errortype': 'InternalServerException' }, body: '{"message":"oops"}' }],
    ['HTTP 501 (not retried)', { status: 501, body: '{"message":"not implemented"}' }],
    ['HTTP 502 with a proxy page', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>' }],
    ['HTTP 503', { status: 503, body: '' }],
    [
      'UnrecognizedClientException',
      {
        status: 403,
        headers: { 'x-amzn-errortype': 'UnrecognizedClientException' },
        body: '{"message":"The security token included in the request is invalid."}',
      },
    ],
  ];
  for (const [label, answer] of cases) {
    it(label, async () => {
      answerWith(answer);
      const outcomes = await both();
      const [codeguru, inspector] = [outcomes['codeguru-security'], outcomes.inspector2];
      expect(codeguru.ok).toBe(false);
      expect({
        name: codeguru.name,
        fault: codeguru.fault,
        message: codeguru.message,
        status: codeguru.metadata.httpStatusCode,
        calls: codeguru.requests.length,
      }).toEqual({
        name: inspector.name,
        fault: inspector.fault,
        message: inspector.message,
        status: inspector.metadata.httpStatusCode,
        calls: inspector.requests.length,
      });
    });
  }

  it('gives modeled errors their classes and members, and keeps $response out of serialization', async () => {
    answerWith({
      status: 400,
      headers: { 'x-amzn-errortype': 'ValidationException' },
      body: '{"message":"bad","errorCode":"E","reason":"fieldValidationFailed","fieldList":[{"name":"f","message":"m"}]}',
    });
    const { error } = (await both())['codeguru-security'];
    expect(error).toBeInstanceOf(ValidationException);
    expect(error).toBeInstanceOf(CodeGuruSecurityServiceException);
    expect(error).toMatchObject({ errorCode: 'E', reason: 'fieldValidationFailed', fieldList: [{ name: 'f', message: 'm' }] });
    expect(Object.keys(error as object)).not.toContain('$response');
    answerWith({
      status: 429,
      headers: { 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '0' },
      body: '{"message":"slow","errorCode":"T","quotaCode":"q"}',
    });
    const throttled = (await both())['codeguru-security'];
    expect(throttled.error).toBeInstanceOf(ThrottlingException);
    expect(throttled.error).toMatchObject({ quotaCode: 'q', $retryable: { throttling: true } });
    expect(throttled.requests).toHaveLength(3);
  });
});
