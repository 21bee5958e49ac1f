import { describe, expect, it } from 'vitest';
import { createBatchLoader } from '../src/batching/batch-loader.js';
import { SubgraphError } from '../src/errors.js';
import type {
  BatchGetFindingsResult,
  CodeGuruSecurityApi,
  Finding,
  FindingIdentifier,
  UpstreamFinding,
} from '../src/upstreams/codeguru-security/model.js';
import { findingSource } from '../src/upstreams/codeguru-security/loader.js';

// How a returned finding is matched back to the (scanName, findingId) it was asked under, for
// answers the emulator never gives (no resource.id, a resource.id that is not the scan name,
// two records for one id). The upstream is a scripted stand-in; what it was asked is recorded.

function scripted(answer: (asked: readonly FindingIdentifier[]) => BatchGetFindingsResult) {
  const asked: FindingIdentifier[][] = [];
  const api: CodeGuruSecurityApi = {
    async batchGetFindings(identifiers) {
      asked.push([...identifiers]);
      return answer(identifiers);
    },
    // The loader never lists.
    listScans: () => Promise.reject(new Error('not used by the loader')),
    getFindings: () => Promise.reject(new Error('not used by the loader')),
  };
  const loader = createBatchLoader(findingSource(api), { signal: new AbortController().signal });
  return { asked, load: (keys: FindingIdentifier[]) => loader.loadMany(keys) };
}

const finding = (id: string, title: string, resourceId?: string): UpstreamFinding => ({
  id,
  title,
  ...(resourceId === undefined ? {} : { resource: { id: resourceId } }),
});
const titles = (results: Array<Finding | Error>) =>
  results.map((result) => (result instanceof Error ? (result as SubgraphError).code : [result.scanName, result.id, result.title]));

describe('mapping returned findings to keys', () => {
  it('tells two scans sharing a finding id apart by resource.id, whatever the answer order', async () => {
    const { asked, load } = scripted(() => ({
      findings: [finding('f1', 'of B', 'scan-b'), finding('f1', 'of A', 'scan-a')],
      failedFindings: [],
    }));
    const results = await load([
      { scanName: 'scan-a', findingId: 'f1' },
      { scanName: 'scan-b', findingId: 'f1' },
    ]);
    expect(titles(results)).toEqual([
      ['scan-a', 'f1', 'of A'],
      ['scan-b', 'f1', 'of B'],
    ]);
    expect(asked).toHaveLength(1);
  });

  it('maps a finding whose id was asked once, even without resource.id or with a resource.id that is not the scan name', async () => {
    const { load } = scripted(() => ({
      findings: [finding('f1', 'one'), finding('f2', 'two', 'arn:aws:codeguru-security:us-east-1:123456789012:scans/x')],
      failedFindings: [],
    }));
    const results = await load([
      { scanName: 'scan-a', findingId: 'f1' },
      { scanName: 'scan-a', findingId: 'f2' },
    ]);
    expect(titles(results)).toEqual([
      ['scan-a', 'f1', 'one'],
      ['scan-a', 'f2', 'two'],
    ]);
  });

  it("never gives one scan the other scan's record when a shared id cannot be told apart", async () => {
    const { load } = scripted(() => ({ findings: [finding('f1', 'which one?'), finding('f2', 'fine', 'scan-a')], failedFindings: [] }));
    const results = await load([
      { scanName: 'scan-a', findingId: 'f1' },
      { scanName: 'scan-b', findingId: 'f1' },
      { scanName: 'scan-a', findingId: 'f2' },
    ]);
    expect(titles(results)).toEqual(['UPSTREAM_ERROR', 'UPSTREAM_ERROR', ['scan-a', 'f2', 'fine']]);
  });

  it('answers a key that received two different records with an error, not either record', async () => {
    const { load } = scripted(() => ({
      findings: [finding('f1', 'first', 'scan-a'), finding('f1', 'second', 'scan-a')],
      failedFindings: [],
    }));
    expect(titles(await load([{ scanName: 'scan-a', findingId: 'f1' }]))).toEqual(['UPSTREAM_ERROR']);
  });

  it('ignores records nobody asked for; the asked key is NOT_FOUND', async () => {
    const { load } = scripted(() => ({ findings: [finding('other', 'stray', 'scan-a')], failedFindings: [] }));
    expect(titles(await load([{ scanName: 'scan-a', findingId: 'f1' }]))).toEqual(['NOT_FOUND']);
  });
});

describe('failedFindings and validation', () => {
  it('maps each upstream item code and keeps it in the error', async () => {
    const codes = ['ITEM_DOES_NOT_EXIST', 'INVALID_FINDING_ID', 'INVALID_SCAN_NAME', 'INTERNAL_ERROR'] as const;
    const { load } = scripted((asked) => ({
      findings: [finding('ok', 'fine')],
      failedFindings: asked
        .filter((key) => key.findingId !== 'ok')
        .map((key, index) => ({ ...key, errorCode: codes[index]!, message: 'upstream says no' })),
    }));
    const results = await load([
      ...codes.map((code) => ({ scanName: 'scan-a', findingId: code.toLowerCase() })),
      { scanName: 'scan-a', findingId: 'ok' },
    ]);
    expect(results.map((result) => (result instanceof SubgraphError ? [result.code, result.extensions.upstreamCode] : 'ok'))).toEqual([
      ['NOT_FOUND', 'ITEM_DOES_NOT_EXIST'],
      ['BAD_USER_INPUT', 'INVALID_FINDING_ID'],
      ['BAD_USER_INPUT', 'INVALID_SCAN_NAME'],
      ['UPSTREAM_ERROR', 'INTERNAL_ERROR'],
      'ok',
    ]);
  });

  it('rejects malformed scan names and empty finding ids before any call', async () => {
    const { asked, load } = scripted(() => ({ findings: [], failedFindings: [] }));
    const results = await load([
      { scanName: '', findingId: 'f' },
      { scanName: 'a'.repeat(141), findingId: 'f' },
      { scanName: 'has space', findingId: 'f' },
      { scanName: 'scan/slash', findingId: 'f' },
      { scanName: 'ok-scan', findingId: '' },
    ]);
    expect(titles(results)).toEqual(Array(5).fill('BAD_USER_INPUT'));
    expect(asked).toHaveLength(0);
    // The model's full alphabet and maximum length pass.
    const valid = scripted(() => ({ findings: [], failedFindings: [] }));
    await valid.load([{ scanName: `aZ09-_$:.${'x'.repeat(131)}`, findingId: 'f' }]);
    expect(valid.asked).toHaveLength(1);
  });

  it('keys are composite: the same finding id under two scans is asked twice, the same pair once', async () => {
    const { asked, load } = scripted((keys) => ({
      findings: keys.map((key) => finding(key.findingId, key.scanName, key.scanName)),
      failedFindings: [],
    }));
    const pairs = Array.from({ length: 60 }, (_, i) => ({ scanName: `scan-${i % 2}`, findingId: `f${Math.floor(i / 2)}` }));
    const results = await load([...pairs, ...pairs]);
    expect(results.every((result) => !(result instanceof Error))).toBe(true);
    expect(asked.map((call) => call.length)).toEqual([25, 25, 10]);
  });
});
