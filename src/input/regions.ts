import { partition } from '@aws-sdk/core/client';

/**
 * Real AWS regions, as the SDK itself knows them: `partition()` from @aws-sdk/core (the SDK's
 * partitions.json, the data its endpoint rules resolve with) answers a listed region with the
 * region's own `description`, and anything else (an invented `zz-word-1`, or `us-fake-1`,
 * which still matches the aws partition's region pattern) with the bare partition outputs.
 * So no region list is kept here: a new region arrives with an SDK upgrade.
 *
 * Regions arrive in caller-supplied ARNs. Only real ones may cost an upstream call, an SDK
 * client or a metric series.
 */
export interface RegionInfo {
  /** The partition id, e.g. `aws`, `aws-cn`, `aws-us-gov`: the ARN's partition field must equal it. */
  partition: string;
}

const known = new Map<string, RegionInfo | null>();
/** Caps the memo: lookups of invented regions must not grow it either. */
const MAX_MEMO = 1_000;

export function realRegion(region: string): RegionInfo | undefined {
  const memo = known.get(region);
  if (memo !== undefined) return memo ?? undefined;
  const answer = partition(region) as ReturnType<typeof partition> & { description?: unknown };
  const info = typeof answer.description === 'string' ? { partition: answer.name } : null;
  if (known.size < MAX_MEMO) known.set(region, info);
  return info ?? undefined;
}

export const isRealRegion = (region: string): boolean => realRegion(region) !== undefined;

/** A real region whose partition is `partitionId` (an ARN's partition must match its region's). */
export const isRealRegionFor = (region: string, partitionId: string): boolean => realRegion(region)?.partition === partitionId;
