import {
  BatchGetFindingDetailsCommand,
  Inspector2Client,
  ListFindingsCommand,
  ValidationException,
  type ListFindingsRequest,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import { INSPECTOR_REGIONS } from '../emulator/inspector2/data.js';
import { SeededEmulator } from '../emulator/index.js';

/**
 * The emulator's ListFindings on the wire, through the official SDK client (no subgraph): the
 * model's limits are refused as the service refuses them (ValidationException naming the
 * field), its tokens are bound to their query and region, and what it lists is what
 * BatchGetFindingDetails knows. The subgraph's own checks are tested elsewhere; these keep the
 * emulator honest, so the subgraph's tests cannot pass against a lenient fake.
 */
let emulator: SeededEmulator;
const clients = new Map<string, Inspector2Client>();
const client = (region = 'us-east-1') => {
  let found = clients.get(region);
  if (!found) {
    found = new Inspector2Client({ region, endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
    clients.set(region, found);
  }
  return found;
};
const list = (request: ListFindingsRequest, region?: string) => client(region).send(new ListFindingsCommand(request));

beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
});
afterAll(async () => {
  for (const each of clients.values()) each.destroy();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

async function refusal(request: ListFindingsRequest): Promise<{ field: string | undefined }> {
  const error = await list(request).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationException);
  return { field: (error as ValidationException).fields?.[0]?.name };
}

describe('emulated ListFindings', () => {
  it('pages through every finding of the signing region, 25 at most per page, the last page without nextToken', async () => {
    for (const region of INSPECTOR_REGIONS) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = await list({ maxResults: 100, ...(nextToken && { nextToken }) }, region);
        expect(page.findings!.length).toBeLessThanOrEqual(25);
        arns.push(...page.findings!.map((finding) => finding.findingArn!));
        nextToken = page.nextToken;
        if (!nextToken) break;
      }
      const expected = emulator.data.inspector.findings.filter((f) => f.findingArn!.split(':')[3] === region).map((f) => f.findingArn);
      expect(arns).toEqual(expected);
    }
    const logged = emulator.calls.of('inspector2');
    expect(logged.every((call) => call.operation === 'ListFindings')).toBe(true);
    expect(new Set(logged.map((call) => call.region))).toEqual(new Set(INSPECTOR_REGIONS));
  });

  it('lists only findings BatchGetFindingDetails knows, in the same region', async () => {
    for (const region of INSPECTOR_REGIONS) {
      const page = await list({ maxResults: 10 }, region);
      const arns = page.findings!.map((finding) => finding.findingArn!);
      const details = await client(region).send(new BatchGetFindingDetailsCommand({ findingArns: arns }));
      expect(details.errors).toEqual([]);
      expect(details.findingDetails!.map((detail) => detail.findingArn)).toEqual(arns);
    }
  });

  it.each([
    ['maxResults 0', { maxResults: 0 }, 'maxResults'],
    ['maxResults 101', { maxResults: 101 }, 'maxResults'],
    ['a forged nextToken', { nextToken: 'forged' }, 'nextToken'],
    ['an over-long nextToken', { nextToken: 'x'.repeat(1_000_001) }, 'nextToken'],
    [
      '11 filters in one member',
      { filterCriteria: { severity: Array.from({ length: 11 }, () => ({ comparison: 'EQUALS', value: 'HIGH' })) } },
      'filterCriteria.severity',
    ],
    ['an empty filter list', { filterCriteria: { title: [] } }, 'filterCriteria.title'],
    [
      'a 1025-character value',
      { filterCriteria: { title: [{ comparison: 'PREFIX', value: 'x'.repeat(1025) }] } },
      'filterCriteria.title.1.member.value',
    ],
    ['an empty value', { filterCriteria: { title: [{ comparison: 'EQUALS', value: '' }] } }, 'filterCriteria.title.1.member.value'],
    [
      'an unknown comparison',
      { filterCriteria: { title: [{ comparison: 'CONTAINS', value: 'x' }] } },
      'filterCriteria.title.1.member.comparison',
    ],
    ['an unknown sort field', { sortCriteria: { field: 'TITLE', sortOrder: 'ASC' } }, 'sortCriteria.field'],
    ['a sort without order', { sortCriteria: { field: 'SEVERITY' } }, 'sortCriteria.sortOrder'],
    [
      'a filter it does not implement',
      { filterCriteria: { resourceTags: [{ comparison: 'EQUALS', key: 'Team' }] } },
      'filterCriteria.resourceTags',
    ],
  ] as Array<[string, ListFindingsRequest, string]>)('refuses %s with ValidationException at that field', async (_name, request, field) => {
    expect(await refusal(request)).toEqual({ field });
  });

  it('refuses a token with another filter, sort or region: tokens are bound to their query', async () => {
    const first = await list({ maxResults: 5, filterCriteria: { findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] } });
    const nextToken = first.nextToken!;
    expect(nextToken).toBeDefined();
    expect(await refusal({ nextToken })).toEqual({ field: 'nextToken' });
    expect(await refusal({ nextToken, sortCriteria: { field: 'SEVERITY', sortOrder: 'ASC' } })).toEqual({ field: 'nextToken' });
    const elsewhere = await client('eu-west-1')
      .send(new ListFindingsCommand({ nextToken, filterCriteria: { findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] } }))
      .catch((error: unknown) => error);
    expect(elsewhere).toBeInstanceOf(ValidationException);
    // The query it belongs to continues with it.
    const next = await list({ nextToken, filterCriteria: { findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] } });
    expect(next.findings!.length).toBeGreaterThan(0);
    expect(next.findings!.every((finding) => finding.status === 'ACTIVE')).toBe(true);
  });
});
