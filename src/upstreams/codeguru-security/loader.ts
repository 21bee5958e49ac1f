import type { BatchSource } from '../../batching/batch-loader.js';
import { badUserInput, ErrorCode, notFound, SubgraphError } from '../../errors.js';
import type { CodeGuruSecurityApi, Finding, FindingIdentifier } from './client.js';

/** CodeGuru Security's documented maximum of identifiers per `BatchGetFindings` call. */
export const BATCH_GET_FINDINGS_LIMIT = 25;

/** A finding with the scan name it was asked under: the upstream record does not carry it. */
export type FindingRecord = Finding & { scanName: string; id: string };

/** The model's ScanName shape: 1..140 characters, `^[a-zA-Z0-9-_$:.]*$`. */
const SCAN_NAME = /^[a-zA-Z0-9\-_$:.]{1,140}$/;

/** Unambiguous for any strings (a scan name or finding id may hold any separator). */
const keyOf = (scanName: string, findingId: string) => JSON.stringify([scanName, findingId]);

const ITEM_ERRORS: Record<string, ErrorCode> = {
  ITEM_DOES_NOT_EXIST: ErrorCode.NOT_FOUND,
  INVALID_FINDING_ID: ErrorCode.BAD_USER_INPUT,
  INVALID_SCAN_NAME: ErrorCode.BAD_USER_INPUT,
  INTERNAL_ERROR: ErrorCode.UPSTREAM_ERROR,
  // Never sent (duplicates are removed first); kept so an upstream surprise maps cleanly.
  DUPLICATE_IDENTIFIER: ErrorCode.UPSTREAM_ERROR,
};

/** How `Finding` lookups become `BatchGetFindings` calls. */
export function findingSource(api: CodeGuruSecurityApi): BatchSource<FindingIdentifier, FindingRecord> {
  return {
    upstream: 'codeguru-security',
    maxBatchSize: BATCH_GET_FINDINGS_LIMIT,
    cacheKey: (key) => keyOf(key.scanName, key.findingId),
    validate(key) {
      if (!SCAN_NAME.test(key.scanName)) {
        return badUserInput(`scanName "${key.scanName}" is not a CodeGuru Security scan name (1-140 characters of a-z, A-Z, 0-9, -, _, $, :, .).`, 'codeguru-security');
      }
      if (key.findingId.trim() === '') return badUserInput('A finding id must be a non-empty string.', 'codeguru-security');
      return undefined;
    },
    async fetch(keys, _group, signal) {
      const { findings, failedFindings } = await api.batchGetFindings(keys, signal);
      const answer = new Map<string, FindingRecord | SubgraphError>();
      // The upstream finding carries its id and, in resource.id, the scan name. A finding without
      // resource.id is mapped by id only when exactly one asked key has that id, so that two
      // scans sharing a finding id can never swap records.
      const askedById = new Map<string, FindingIdentifier[]>();
      for (const key of keys) askedById.set(key.findingId, [...(askedById.get(key.findingId) ?? []), key]);
      for (const finding of findings) {
        if (finding.id === undefined) continue;
        const scanName = finding.resource?.id ?? (askedById.get(finding.id)?.length === 1 ? askedById.get(finding.id)![0]!.scanName : undefined);
        if (scanName === undefined) continue;
        answer.set(keyOf(scanName, finding.id), { ...finding, scanName, id: finding.id });
      }
      for (const failure of failedFindings) {
        const code = ITEM_ERRORS[failure.errorCode] ?? ErrorCode.UPSTREAM_ERROR;
        const message =
          code === ErrorCode.NOT_FOUND
            ? `Finding "${failure.findingId}" of scan "${failure.scanName}" was not found.`
            : `CodeGuru Security could not return finding "${failure.findingId}" of scan "${failure.scanName}": ${failure.message}`;
        answer.set(keyOf(failure.scanName, failure.findingId), new SubgraphError(code, message, { upstream: 'codeguru-security', upstreamCode: failure.errorCode }));
      }
      return answer;
    },
    notFound: (key) => notFound(`Finding "${key.findingId}" of scan "${key.scanName}"`, 'codeguru-security'),
  };
}
