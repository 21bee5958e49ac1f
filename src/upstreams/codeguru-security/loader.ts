import type { BatchSource } from '../../batching/batch-loader.js';
import { clip, ErrorCode, itemError, notFound, quote, SubgraphError, type ItemErrorKinds } from '../../errors.js';
import { findingKeyProblem } from './keys.js';
import { failureKindOf, type FailureKind } from '../../reliability/failure-kinds.js';
import { CODEGURU_SECURITY, type CodeGuruSecurityApi, type Finding, type FindingIdentifier } from './model.js';

/** CodeGuru Security's documented maximum of identifiers per `BatchGetFindings` call. */
export const BATCH_GET_FINDINGS_LIMIT = 25;

/** Unambiguous for any strings (a scan name or finding id may hold any separator). */
const keyOf = (scanName: string, findingId: string) => JSON.stringify([scanName, findingId]);

const ITEM_ERRORS: ItemErrorKinds = {
  ITEM_DOES_NOT_EXIST: 'not-found',
  INVALID_FINDING_ID: 'bad-input',
  INVALID_SCAN_NAME: 'bad-input',
  INTERNAL_ERROR: 'failed',
  // Never sent (duplicates are removed first); kept so an upstream surprise maps cleanly.
  DUPLICATE_IDENTIFIER: 'failed',
};

const WHOLE_CALL_SPLITS: ReadonlySet<FailureKind | undefined> = new Set(['bad-input', 'not-found']);

/**
 * The identifiers a whole-call rejection names, so they are answered with it and the rest asked
 * again in one call: the scan of a ResourceNotFoundException (`resourceId`), the positions in a
 * ValidationException's `fieldList` (`findingIdentifiers.<index>.…`). What it names is trusted
 * only when it points inside this call; otherwise the mechanism bisects.
 */
function blamedIdentifiers(error: unknown, chunk: readonly FindingIdentifier[]): FindingIdentifier[] {
  const e = error as { resourceId?: unknown; fieldList?: unknown };
  const kind = failureKindOf(error);
  if (kind === 'not-found' && typeof e.resourceId === 'string') {
    return chunk.filter((key) => key.scanName === e.resourceId);
  }
  if (kind === 'bad-input' && Array.isArray(e.fieldList)) {
    const blamed = new Set<FindingIdentifier>();
    for (const field of e.fieldList as Array<{ name?: unknown }>) {
      const index = /^findingIdentifiers\.(\d{1,3})\./.exec(typeof field?.name === 'string' ? field.name : '')?.[1];
      const key = index === undefined ? undefined : chunk[Number(index)];
      if (key) blamed.add(key);
    }
    return [...blamed];
  }
  return [];
}

/** How `Finding` lookups become `BatchGetFindings` calls. */
export function findingSource(api: CodeGuruSecurityApi): BatchSource<FindingIdentifier, Finding> {
  return {
    upstream: CODEGURU_SECURITY,
    // The same process-wide client for every request: concurrent requests may share its calls.
    shareable: true,
    maxBatchSize: BATCH_GET_FINDINGS_LIMIT,
    cacheKey: (key) => keyOf(key.scanName, key.findingId),
    validate(key) {
      // Switched off: every key gets the one explanation, before any call or other check.
      if (api.disabled) return api.disabled;
      return findingKeyProblem(key.scanName, key.findingId);
    },
    async fetch(keys, _group, signal) {
      const { findings, failedFindings } = await api.batchGetFindings(keys, signal);
      const answer = new Map<string, Finding | SubgraphError>();
      // The upstream finding does not carry the scan name it was asked under, so a returned
      // finding is matched to the asked keys with its id. One such key: that key (the service
      // answers only what it was asked; resource.id is not needed, nor trusted over the
      // request). Several (scans sharing a finding id in one call): resource.id, documented as
      // the scan name, must name exactly one of them. Anything else is ambiguous and answers
      // those keys with an error, never with a neighbour's record.
      const askedById = new Map<string, FindingIdentifier[]>();
      for (const key of keys) askedById.set(key.findingId, [...(askedById.get(key.findingId) ?? []), key]);
      const ambiguous = new Set<string>();
      for (const finding of findings) {
        if (finding.id === undefined) continue;
        const candidates = askedById.get(finding.id) ?? [];
        const matches = candidates.length === 1 ? candidates : candidates.filter((key) => key.scanName === finding.resource?.id);
        if (matches.length !== 1) {
          if (candidates.length > 0) ambiguous.add(finding.id);
          continue;
        }
        const key = matches[0]!;
        const id = keyOf(key.scanName, key.findingId);
        // Two records for one key: neither can be trusted to be the one asked for.
        if (answer.has(id)) ambiguous.add(finding.id);
        answer.set(id, { ...finding, scanName: key.scanName, id: key.findingId });
      }
      for (const findingId of ambiguous) {
        for (const key of askedById.get(findingId)!) {
          answer.set(
            keyOf(key.scanName, key.findingId),
            new SubgraphError(
              ErrorCode.UPSTREAM_ERROR,
              `CodeGuru Security's answer for finding ${quote(key.findingId)} of scan ${quote(key.scanName)} could not be told apart from another scan's finding with the same id; ask for it on its own.`,
              {
                upstream: CODEGURU_SECURITY,
              },
            ),
          );
        }
      }
      for (const failure of failedFindings) {
        const item = itemError(CODEGURU_SECURITY, failure.errorCode, ITEM_ERRORS, (kind) =>
          kind === 'not-found'
            ? `Finding ${quote(failure.findingId)} of scan ${quote(failure.scanName)} was not found.`
            : `CodeGuru Security could not return finding ${quote(failure.findingId)} of scan ${quote(failure.scanName)}: ${clip(String(failure.message))}`,
        );
        answer.set(keyOf(failure.scanName, failure.findingId), item);
      }
      return answer;
    },
    notFound: (key) => notFound(`Finding ${quote(key.findingId)} of scan ${quote(key.scanName)}`, CODEGURU_SECURITY),
    describe: (key) => `finding ${quote(key.findingId)} of scan ${quote(key.scanName)}`,
    // One identifier the service cannot parse (ValidationException: bad input), or one naming a
    // scan that does not exist (ResourceNotFoundException, undeclared for this operation), fails the call.
    shouldSplit: (error) => WHOLE_CALL_SPLITS.has(failureKindOf(error)),
    blame: blamedIdentifiers,
  };
}
