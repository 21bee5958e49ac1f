import type { BatchSource } from '../../batching/batch-loader.js';
import { clip, ErrorCode, notFound, quote, SubgraphError } from '../../errors.js';
import { findingArnProblem } from './keys.js';
import type { FindingDetail, Inspector2Api } from './client.js';
import { INSPECTOR2 } from './model.js';

/** Inspector's documented maximum of ARNs per `BatchGetFindingDetails` call. */
export const BATCH_GET_FINDING_DETAILS_LIMIT = 10;

const ITEM_ERRORS: Record<string, ErrorCode> = {
  FINDING_DETAILS_NOT_FOUND: ErrorCode.NOT_FOUND,
  ACCESS_DENIED: ErrorCode.FORBIDDEN,
  INVALID_INPUT: ErrorCode.BAD_USER_INPUT,
  INTERNAL_ERROR: ErrorCode.UPSTREAM_ERROR,
};

/** The region an ARN names (its fourth field); only called on ARNs that passed validation. */
export const regionOf = (findingArn: string) => findingArn.split(':')[3]!;

/**
 * How `FindingDetail` lookups become `BatchGetFindingDetails` calls: grouped by the region in
 * each ARN, 10 per call. Inspector rejects a whole request when one ARN breaks the pattern, so
 * each ARN is checked before any call, and a call still rejected with ValidationException is
 * bisected until the offending ARNs stand alone.
 */
export function findingDetailSource(api: Inspector2Api): BatchSource<string, FindingDetail> {
  return {
    upstream: INSPECTOR2,
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
        if (!error.findingArn) continue;
        const code = ITEM_ERRORS[error.errorCode ?? ''] ?? ErrorCode.UPSTREAM_ERROR;
        const message =
          code === ErrorCode.NOT_FOUND
            ? `Finding details for ${quote(error.findingArn)} were not found.`
            : code === ErrorCode.FORBIDDEN
              ? `Amazon Inspector denied access to the details of ${quote(error.findingArn)}.`
              : `Amazon Inspector could not return the details of ${quote(error.findingArn)}: ${clip(String(error.errorMessage))}`;
        answer.set(error.findingArn, new SubgraphError(code, message, { upstream: INSPECTOR2, upstreamCode: error.errorCode }));
      }
      return answer;
    },
    notFound: (arn) => notFound(`Finding details for ${quote(arn)}`, INSPECTOR2),
    describe: (arn) => `finding ARN ${quote(arn)}`,
    shouldSplit: (error) => (error as { name?: unknown } | undefined)?.name === 'ValidationException',
  };
}
