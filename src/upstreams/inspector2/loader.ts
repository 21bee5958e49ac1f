import type { BatchSource } from '../../batching/batch-loader.js';
import { clip, itemError, notFound, quote, type ItemErrorKinds, type SubgraphError } from '../../errors.js';
import { findingArnProblem } from './keys.js';
import { failureKindOf } from '../../reliability/failure-kinds.js';
import { INSPECTOR2, regionOf, type FindingDetail, type Inspector2Api } from './model.js';

/** Inspector's documented maximum of ARNs per `BatchGetFindingDetails` call. */
export const BATCH_GET_FINDING_DETAILS_LIMIT = 10;

const ITEM_ERRORS: ItemErrorKinds = {
  FINDING_DETAILS_NOT_FOUND: 'not-found',
  ACCESS_DENIED: 'forbidden',
  INVALID_INPUT: 'bad-input',
  INTERNAL_ERROR: 'failed',
};

/**
 * How `FindingDetail` lookups become `BatchGetFindingDetails` calls: grouped by the region in
 * each ARN, 10 per call. Inspector rejects a whole request when one ARN breaks the pattern, so
 * each ARN is checked before any call, and a call still rejected as bad input
 * (ValidationException) is bisected until the offending ARNs stand alone.
 */
export function findingDetailSource(api: Inspector2Api): BatchSource<string, FindingDetail> {
  return {
    upstream: INSPECTOR2,
    // The same process-wide client for every request: concurrent requests may share its calls.
    shareable: true,
    maxBatchSize: BATCH_GET_FINDING_DETAILS_LIMIT,
    cacheKey: (arn) => arn,
    // The model's length and pattern, and a region that is real in the ARN's partition.
    validate: findingArnProblem,
    group: regionOf,
    async fetch(arns, region, signal) {
      const { findingDetails, errors } = await api.batchGetFindingDetails(region, arns, signal);
      const answer = new Map<string, FindingDetail | SubgraphError>();
      for (const detail of findingDetails) if (detail.findingArn) answer.set(detail.findingArn, detail);
      for (const error of errors) {
        const arn = error.findingArn;
        if (!arn) continue;
        const item = itemError(INSPECTOR2, error.errorCode, ITEM_ERRORS, (kind) =>
          kind === 'not-found'
            ? `Finding details for ${quote(arn)} were not found.`
            : kind === 'forbidden'
              ? `Amazon Inspector denied access to the details of ${quote(arn)}.`
              : `Amazon Inspector could not return the details of ${quote(arn)}: ${clip(String(error.errorMessage))}`,
        );
        answer.set(arn, item);
      }
      return answer;
    },
    notFound: (arn) => notFound(`Finding details for ${quote(arn)}`, INSPECTOR2),
    describe: (arn) => `finding ARN ${quote(arn)}`,
    shouldSplit: (error) => failureKindOf(error) === 'bad-input',
  };
}
