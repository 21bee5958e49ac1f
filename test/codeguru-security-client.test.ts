import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import type { EmulatorRequest } from '../emulator/core/route.js';
import { SeededEmulator } from '../emulator/index.js';
import { toSubgraphError } from '../src/errors.js';
import {
  BatchGetFindingsCommand,
  CodeGuruSecurityServiceException,
  CodeGuruSecurityClient,
  InternalServerException,
  ValidationException,
  type CodeGuruSecurityClientConfig,
} from '../src/upstreams/codeguru-security/sdk/index.js';
import * as schemas from '../src/upstreams/codeguru-security/sdk/schemas.js';
import { shapes as modelShapes } from './fixtures/codeguru-security-shapes.js';
import { CODEGURU_SECURITY } from '../src/upstreams/codeguru-security/model.js';

// The hand-built client on its own, against the emulator: what a generated client would do on
// the wire (signing, path, retries, errors), observed from what the emulator received.

let emulator: SeededEmulator;
beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.reset());

const calls = () => emulator.calls.of('codeguru-security');
const identifiers = (n: number) =>
  emulator.data.findings.slice(0, n).map(({ scanName, finding }) => ({ scanName, findingId: finding.id! }));
const clients: CodeGuruSecurityClient[] = [];
const client = (config: Partial<CodeGuruSecurityClientConfig> = {}) => {
  const created = new CodeGuruSecurityClient({
    region: 'eu-central-1',
    endpoint: emulator.url,
    credentials: { ...EMULATOR_CREDENTIALS },
    // Retries in milliseconds, so no test waits for the SDK's real backoff.
    retryStrategy: new ConfiguredRetryStrategy(config.maxAttempts ?? 3, 1),
    ...config,
  });
  clients.push(created);
  return created;
};
afterAll(() => clients.forEach((created) => created.destroy()));

/** Every request as the emulator received it (path and headers included). */
function watchRequests(): EmulatorRequest[] {
  const seen: EmulatorRequest[] = [];
  emulator.faults.set('codeguru-security', { when: (request) => (seen.push(request), false) });
  return seen;
}

describe('wire', () => {
  it('POSTs restJson1 to /batchGetFindings under the endpoint path prefix, signed for the configured region', async () => {
    const seen = watchRequests();
    const output = await client({ endpoint: `${emulator.url}/proxy/cgs` }).send(
      new BatchGetFindingsCommand({ findingIdentifiers: identifiers(2) }),
    );
    expect(output.findings.map((finding) => finding.id)).toEqual(identifiers(2).map((identifier) => identifier.findingId));
    expect(output.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url.pathname).toBe('/proxy/cgs/batchGetFindings');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ findingIdentifiers: identifiers(2) });
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAEMULATOR00000000\/\d{8}\/eu-central-1\/codeguru-security\/aws4_request/,
    );
    expect(request!.headers['amz-sdk-request']).toBe('attempt=1; max=3');
    expect(calls().map((call) => [call.status, call.region])).toEqual([[200, 'eu-central-1']]);
  });

  it('parses epoch-second timestamps (fractional too) into the same instants the emulator holds', async () => {
    const output = await client().send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(3) }));
    output.findings.forEach((finding, index) => {
      const held = emulator.data.findings[index]!.finding;
      expect(finding.createdAt).toBeInstanceOf(Date);
      expect(finding.createdAt!.getTime()).toBe(held.createdAt!.getTime());
      expect(finding.updatedAt!.getTime()).toBe(held.updatedAt!.getTime());
    });
  });

  it('signs every attempt afresh under one invocation id', async () => {
    const seen = watchRequests();
    emulator.faults.set('codeguru-security', { when: (request) => (seen.push(request), true), throttleRate: 1, times: 1 });
    await client().send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }));
    expect(seen.map((request) => request.headers['amz-sdk-request'])).toEqual(['attempt=1; max=3', 'attempt=2; max=3']);
    expect(new Set(seen.map((request) => request.headers['amz-sdk-invocation-id'])).size).toBe(1);
    expect(calls().map((call) => call.status)).toEqual([429, 200]);
  });
});

describe('retries (the SDK standard strategy and classification)', () => {
  it('retries a 500 InternalServerException, then succeeds and reports the attempts', async () => {
    emulator.faults.set('codeguru-security', { down: true, times: 2 });
    const output = await client().send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }));
    expect(output.findings).toHaveLength(1);
    expect(output.$metadata.attempts).toBe(3);
    expect(calls().map((call) => call.status)).toEqual([500, 500, 200]);
  });

  it('stops at maxAttempts with the typed error and its metadata', async () => {
    emulator.faults.set('codeguru-security', { down: true });
    const error = await client({ maxAttempts: 2, retryStrategy: new ConfiguredRetryStrategy(2, 1) })
      .send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerException);
    expect(error).toMatchObject({ name: 'InternalServerException', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 2 } });
    expect(calls()).toHaveLength(2);
  });

  it('never retries authentication or validation errors', async () => {
    const denied = await client({ credentials: { accessKeyId: 'AKIAWRONG00000000000', secretAccessKey: 'x' } })
      .send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }))
      .catch((e: unknown) => e);
    // Refused by AWS's front end, not by the service: not a modeled error, but typed by name.
    expect(denied).toBeInstanceOf(CodeGuruSecurityServiceException);
    expect(denied).toMatchObject({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      $fault: 'client',
      $metadata: { httpStatusCode: 403, attempts: 1 },
    });
    expect(toSubgraphError(denied, CODEGURU_SECURITY).code).toBe('FORBIDDEN');
    const invalid = await client()
      .send(new BatchGetFindingsCommand({ findingIdentifiers: [] }))
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationException);
    expect(invalid).toMatchObject({ reason: 'fieldValidationFailed', fieldList: [{ name: 'findingIdentifiers' }] });
    expect(calls().map((call) => call.status)).toEqual([403, 400]);
  });

  it('does not retry once the abort signal fires during a request', async () => {
    const controller = new AbortController();
    emulator.faults.set('codeguru-security', { throttleRate: 1, when: () => (controller.abort(), true) });
    const error = await client()
      .send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }), { abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(toSubgraphError(error, CODEGURU_SECURITY).code).toBe('UPSTREAM_TIMEOUT');
    expect(calls()).toHaveLength(1);
  });

  it('cuts a backoff wait short when the signal fires during it, and sends no retry', async () => {
    const controller = new AbortController();
    emulator.faults.set('codeguru-security', { throttleRate: 1 });
    // A one-minute backoff: a client that waited it out would time this test out, and one
    // that retried after the abort would show a second call at the emulator.
    const strategy = new ConfiguredRetryStrategy(3, 60_000);
    const refresh = strategy.refreshRetryTokenForRetry.bind(strategy);
    strategy.refreshRetryTokenForRetry = (token, info) => {
      const waiting = refresh(token, info);
      controller.abort();
      return waiting;
    };
    const error = await client({ retryStrategy: strategy })
      .send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }), { abortSignal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(calls().map((call) => call.status)).toEqual([429]);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const error = await client()
      .send(new BatchGetFindingsCommand({ findingIdentifiers: identifiers(1) }), { abortSignal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(calls()).toHaveLength(0);
  });
});

describe('schemas (src/upstreams/codeguru-security/sdk/schemas.ts) against the Smithy model', () => {
  const OPERATIONS = ['BatchGetFindings', 'ListScans', 'GetFindings'] as const;
  const ERRORS = [
    'AccessDeniedException',
    'InternalServerException',
    'ThrottlingException',
    'ValidationException',
    'ResourceNotFoundException',
    'ConflictException',
  ] as const;
  type Static = [number, string, string, unknown, ...unknown[]];
  const deref = (schema: unknown): unknown => (typeof schema === 'function' ? deref((schema as () => unknown)()) : schema);
  /** Every structure and error reachable from the operation and its errors, by shape name. */
  function collect(): Map<string, { members: string[]; kinds: string[]; required: number }> {
    const found = new Map<string, { members: string[]; kinds: string[]; required: number }>();
    const kind = (schema: unknown): string => {
      // A member bound to the HTTP request is `[schema, traits]` (a static schema has 5+ slots).
      const member = deref(schema);
      const s = Array.isArray(member) && member.length === 2 ? deref(member[0]) : member;
      if (s === 0) return 'string';
      if (s === 1) return 'number';
      if (s === 4) return 'timestamp';
      if (s === 64) return 'list<string>';
      const [type, , name, , target] = s as Static;
      if (type === 1) return `list<${kind(target)}>`;
      visit(s);
      return name;
    };
    const visit = (schema: unknown) => {
      const s = deref(schema) as Static;
      if (s[0] === 9) return [s[4], s[5]].forEach(visit);
      if ((s[0] !== 3 && s[0] !== -3) || found.has(s[2])) return;
      const [, , name, , members, schemas, required] = s as [number, string, string, unknown, string[], unknown[], number?];
      found.set(name, { members, kinds: [], required: required ?? 0 });
      found.get(name)!.kinds = schemas.map(kind);
    };
    for (const operation of OPERATIONS) visit(schemas[`${operation}$`]);
    for (const error of ERRORS) visit(schemas[`${error}$`]);
    return found;
  }

  const shape = (name: string) => modelShapes[name] ?? { type: 'unknown' };
  it('has every structure of the operations and their errors, member for member, kinds, required members first', () => {
    const modelKind = (target: string): string => {
      if (target === 'smithy.api#String') return 'string';
      if (target === 'smithy.api#Integer') return 'number';
      if (target === 'smithy.api#Timestamp') return 'timestamp';
      const found = shape(target);
      if (found.type === 'enum' || found.type === 'string') return 'string';
      if (found.type === 'list') return `list<${modelKind(found.member!)}>`;
      return target;
    };
    const expected = new Map<string, { members: string[]; kinds: string[]; required: number }>();
    for (const [name, found] of Object.entries(modelShapes)) {
      if (found.type !== 'structure') continue;
      const entries = Object.entries(found.members ?? {});
      const ordered = [...entries.filter(([, member]) => member.required), ...entries.filter(([, member]) => !member.required)];
      expected.set(name, {
        members: ordered.map(([key]) => key),
        kinds: ordered.map(([, member]) => modelKind(member.target)),
        required: entries.filter(([, member]) => member.required).length,
      });
    }
    expect(Object.fromEntries(collect())).toEqual(Object.fromEntries(expected));
    // Error traits: fault and status as modeled; the operation's HTTP binding.
    for (const error of ERRORS) {
      const traits = shape(error).traits!;
      expect((schemas[`${error}$`] as Static)[3]).toEqual({ error: traits['smithy.api#error'], httpError: traits['smithy.api#httpError'] });
    }
    for (const operation of OPERATIONS) {
      const http = shape(operation).traits!['smithy.api#http'] as { method: string; uri: string; code: number };
      expect((schemas[`${operation}$`] as Static)[3]).toEqual({ http: [http.method, http.uri, http.code] });
    }
  });

  it("binds the list operations' members to the query string and path as the model does", () => {
    const bindings = (name: 'ListScansRequest' | 'GetFindingsRequest') => {
      const [, , , , members, memberSchemas] = schemas[`${name}$`] as [number, string, string, unknown, string[], unknown[]];
      return Object.fromEntries(
        members.map((member, index) => {
          const traits = (memberSchemas[index] as [unknown, unknown])[1];
          // 1 is the packed form of httpLabel (translateTraits' first bit).
          return [member, traits === 1 ? { httpLabel: true } : traits];
        }),
      );
    };
    for (const name of ['ListScansRequest', 'GetFindingsRequest'] as const) {
      const modeled = Object.fromEntries(
        Object.entries(shape(name).members!).map(([member, { httpQuery, httpLabel }]) => [
          member,
          httpLabel ? { httpLabel: true } : { httpQuery },
        ]),
      );
      expect(bindings(name)).toEqual(modeled);
    }
  });
});
