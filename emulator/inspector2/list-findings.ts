import { createHash } from 'node:crypto';
import type { Finding } from '@aws-sdk/client-inspector2';
import { restJson1Error, toAwsJson } from '../core/aws-wire.js';
import type { EmulatorResponse } from '../core/route.js';

/**
 * Inspector's ListFindings (`POST /findings/list`, restJson1) over the seeded findings of the
 * region a call is signed for, checked as the model constrains it - written independently of
 * the subgraph's own checks, so the two cannot share a mistake:
 *
 * - `maxResults` 1..100 (ListFindingsMaxResults); a page never holds more than 25 findings,
 *   the model's FindingList bound, so a larger maxResults still pages (as the service may: a
 *   response may hold fewer than maxResults, with a nextToken)
 * - `nextToken` at most 1,000,000 characters, and one this emulator issued for the same
 *   filter, sort and region (the service's tokens are opaque and bound to their query)
 * - `filterCriteria`: every StringFilterList/DateFilterList/NumberFilterList member, each list
 *   1..10 filters; StringFilter `comparison` EQUALS | PREFIX | NOT_EQUALS and `value` 1..1024
 *   characters (both required); DateFilter start/endInclusive (epoch seconds); NumberFilter
 *   lower/upperInclusive
 * - `sortCriteria`: `field` (SortField) and `sortOrder` ASC | DESC, both required
 *
 * Within one criterion positive filters (EQUALS, PREFIX) are alternatives and NOT_EQUALS
 * filters all apply; date and number ranges are alternatives; criteria combine with AND.
 */
export const LIST_FINDINGS_PATH = '/findings/list';
const MAX_RESULTS = 100;
const PAGE_BOUND = 25;
const MAX_FILTERS = 10;
const MAX_STRING_INPUT = 1024;
const MAX_NEXT_TOKEN = 1_000_000;

type Values = (finding: Finding) => ReadonlyArray<string | undefined>;
type Instant = (finding: Finding) => ReadonlyArray<Date | undefined>;
type Amount = (finding: Finding) => ReadonlyArray<number | undefined>;

const details = (finding: Finding) => finding.resources?.map((resource) => resource.details) ?? [];
const ecr = (finding: Finding) => details(finding).map((detail) => detail?.awsEcrContainerImage);
const lambda = (finding: Finding) => details(finding).map((detail) => detail?.awsLambdaFunction);
const ec2 = (finding: Finding) => details(finding).map((detail) => detail?.awsEc2Instance);
const steps = (finding: Finding) => finding.networkReachabilityDetails?.networkPath?.steps ?? [];

const STRING_FIELDS: Record<string, Values> = {
  findingArn: (f) => [f.findingArn],
  awsAccountId: (f) => [f.awsAccountId],
  findingType: (f) => [f.type],
  severity: (f) => [f.severity],
  findingStatus: (f) => [f.status],
  title: (f) => [f.title],
  resourceType: (f) => f.resources?.map((r) => r.type) ?? [],
  resourceId: (f) => f.resources?.map((r) => r.id) ?? [],
  ec2InstanceImageId: (f) => ec2(f).map((d) => d?.imageId),
  ec2InstanceVpcId: (f) => ec2(f).map((d) => d?.vpcId),
  ec2InstanceSubnetId: (f) => ec2(f).map((d) => d?.subnetId),
  ecrImageArchitecture: (f) => ecr(f).map((d) => d?.architecture),
  ecrImageRegistry: (f) => ecr(f).map((d) => d?.registry),
  ecrImageRepositoryName: (f) => ecr(f).map((d) => d?.repositoryName),
  ecrImageTags: (f) => ecr(f).flatMap((d) => d?.imageTags ?? []),
  ecrImageHash: (f) => ecr(f).map((d) => d?.imageHash),
  networkProtocol: (f) => [f.networkReachabilityDetails?.protocol],
  componentId: (f) => steps(f).map((s) => s.componentId),
  componentType: (f) => steps(f).map((s) => s.componentType),
  vulnerabilityId: (f) => [f.packageVulnerabilityDetails?.vulnerabilityId],
  vulnerabilitySource: (f) => [f.packageVulnerabilityDetails?.source],
  vendorSeverity: (f) => [f.packageVulnerabilityDetails?.vendorSeverity],
  relatedVulnerabilities: (f) => f.packageVulnerabilityDetails?.relatedVulnerabilities ?? [],
  fixAvailable: (f) => [f.fixAvailable],
  lambdaFunctionName: (f) => lambda(f).map((d) => d?.functionName),
  lambdaFunctionLayers: (f) => lambda(f).flatMap((d) => d?.layers ?? []),
  lambdaFunctionRuntime: (f) => lambda(f).map((d) => d?.runtime),
  lambdaFunctionExecutionRoleArn: (f) => lambda(f).map((d) => d?.executionRoleArn),
  exploitAvailable: (f) => [f.exploitAvailable],
  codeVulnerabilityDetectorName: (f) => [f.codeVulnerabilityDetails?.detectorName],
  codeVulnerabilityDetectorTags: (f) => f.codeVulnerabilityDetails?.detectorTags ?? [],
  codeVulnerabilityFilePath: (f) => [f.codeVulnerabilityDetails?.filePath?.filePath],
  codeRepositoryProjectName: (f) => details(f).map((d) => d?.codeRepository?.projectName),
  codeRepositoryProviderType: (f) => details(f).map((d) => d?.codeRepository?.providerType),
};
const DATE_FIELDS: Record<string, Instant> = {
  firstObservedAt: (f) => [f.firstObservedAt],
  lastObservedAt: (f) => [f.lastObservedAt],
  updatedAt: (f) => [f.updatedAt],
  ecrImagePushedAt: (f) => ecr(f).map((d) => d?.pushedAt),
  ecrImageLastInUseAt: (f) => ecr(f).map((d) => d?.lastInUseAt),
  lambdaFunctionLastModifiedAt: (f) => lambda(f).map((d) => d?.lastModifiedAt),
};
const NUMBER_FIELDS: Record<string, Amount> = {
  inspectorScore: (f) => [f.inspectorScore],
  ecrImageInUseCount: (f) => ecr(f).map((d) => d?.inUseCount),
  epssScore: (f) => [f.epss?.score],
};
const SEVERITY_RANK: Record<string, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4, UNTRIAGED: 5 };
const SORT_FIELDS: Record<string, (f: Finding) => string | number> = {
  AWS_ACCOUNT_ID: (f) => f.awsAccountId ?? '',
  FINDING_TYPE: (f) => f.type ?? '',
  SEVERITY: (f) => SEVERITY_RANK[f.severity ?? ''] ?? -1,
  FIRST_OBSERVED_AT: (f) => f.firstObservedAt?.getTime() ?? 0,
  LAST_OBSERVED_AT: (f) => f.lastObservedAt?.getTime() ?? 0,
  FINDING_STATUS: (f) => f.status ?? '',
  RESOURCE_TYPE: (f) => f.resources?.[0]?.type ?? '',
  ECR_IMAGE_PUSHED_AT: (f) => ecr(f)[0]?.pushedAt?.getTime() ?? 0,
  ECR_IMAGE_REPOSITORY_NAME: (f) => ecr(f)[0]?.repositoryName ?? '',
  ECR_IMAGE_REGISTRY: (f) => ecr(f)[0]?.registry ?? '',
  NETWORK_PROTOCOL: (f) => f.networkReachabilityDetails?.protocol ?? '',
  COMPONENT_TYPE: (f) => steps(f)[0]?.componentType ?? '',
  VULNERABILITY_ID: (f) => f.packageVulnerabilityDetails?.vulnerabilityId ?? '',
  VULNERABILITY_SOURCE: (f) => f.packageVulnerabilityDetails?.source ?? '',
  INSPECTOR_SCORE: (f) => f.inspectorScore ?? 0,
  VENDOR_SEVERITY: (f) => f.packageVulnerabilityDetails?.vendorSeverity ?? '',
  EPSS_SCORE: (f) => f.epss?.score ?? 0,
};

class Invalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function filterList(name: string, value: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_FILTERS) {
    throw new Invalid(`filterCriteria.${name}`, `Member must have length between 1 and ${MAX_FILTERS}`);
  }
  return value.map((filter, index) => {
    if (!isObject(filter)) throw new Invalid(`filterCriteria.${name}.${index + 1}.member`, 'Member must be a structure');
    return filter;
  });
}

type Predicate = (finding: Finding) => boolean;

function stringPredicate(name: string, value: unknown, values: Values): Predicate {
  const filters = filterList(name, value).map((filter, index) => {
    const at = `filterCriteria.${name}.${index + 1}.member`;
    const { comparison, value: text } = filter;
    if (comparison !== 'EQUALS' && comparison !== 'PREFIX' && comparison !== 'NOT_EQUALS') {
      throw new Invalid(`${at}.comparison`, 'Member must satisfy enum value set: [EQUALS, PREFIX, NOT_EQUALS]');
    }
    if (typeof text !== 'string' || text.length < 1 || text.length > MAX_STRING_INPUT) {
      throw new Invalid(`${at}.value`, `Member must have length between 1 and ${MAX_STRING_INPUT}`);
    }
    return { comparison, text };
  });
  const positive = filters.filter((filter) => filter.comparison !== 'NOT_EQUALS');
  const negative = filters.filter((filter) => filter.comparison === 'NOT_EQUALS');
  return (finding) => {
    const present = values(finding).filter((v): v is string => v !== undefined);
    const matches = positive.some(({ comparison, text }) =>
      present.some((v) => (comparison === 'EQUALS' ? v === text : v.startsWith(text))),
    );
    return (positive.length === 0 || matches) && negative.every(({ text }) => !present.includes(text));
  };
}

function rangePredicate(name: string, value: unknown, low: string, high: string, read: (f: Finding) => number[]): Predicate {
  const ranges = filterList(name, value).map((filter, index) => {
    const bound = (key: string) => {
      const given = filter[key];
      if (given === undefined || given === null) return undefined;
      if (typeof given !== 'number' || !Number.isFinite(given)) {
        throw new Invalid(`filterCriteria.${name}.${index + 1}.member.${key}`, 'Member must be a number');
      }
      return given;
    };
    return { from: bound(low), to: bound(high) };
  });
  return (finding) =>
    read(finding).some((v) => ranges.some(({ from, to }) => (from === undefined || v >= from) && (to === undefined || v <= to)));
}

function predicates(criteria: unknown): Predicate[] {
  if (criteria === undefined || criteria === null) return [];
  if (!isObject(criteria)) throw new Invalid('filterCriteria', 'Member must be a structure');
  const found: Predicate[] = [];
  for (const [name, value] of Object.entries(criteria)) {
    const strings = STRING_FIELDS[name];
    const dates = DATE_FIELDS[name];
    const numbers = NUMBER_FIELDS[name];
    // Dates travel as epoch seconds (restJson1's default timestamp format).
    if (strings) found.push(stringPredicate(name, value, strings));
    else if (dates)
      found.push(
        rangePredicate(name, value, 'startInclusive', 'endInclusive', (f) =>
          dates(f).flatMap((d) => (d === undefined ? [] : [d.getTime() / 1000])),
        ),
      );
    else if (numbers)
      found.push(
        rangePredicate(name, value, 'lowerInclusive', 'upperInclusive', (f) => numbers(f).filter((n): n is number => n !== undefined)),
      );
    // Members this emulator does not filter by (resourceTags, portRange, vulnerablePackages) are refused rather than
    // ignored: a test relying on them must not pass on an unfiltered list.
    else throw new Invalid(`filterCriteria.${name}`, 'This emulator does not implement this filter');
  }
  return found;
}

function sorter(criteria: unknown): ((a: Finding, b: Finding) => number) | undefined {
  if (criteria === undefined || criteria === null) return undefined;
  if (!isObject(criteria)) throw new Invalid('sortCriteria', 'Member must be a structure');
  const key = typeof criteria.field === 'string' ? SORT_FIELDS[criteria.field] : undefined;
  if (!key) throw new Invalid('sortCriteria.field', `Member must satisfy enum value set: [${Object.keys(SORT_FIELDS).join(', ')}]`);
  if (criteria.sortOrder !== 'ASC' && criteria.sortOrder !== 'DESC') {
    throw new Invalid('sortCriteria.sortOrder', 'Member must satisfy enum value set: [ASC, DESC]');
  }
  const sign = criteria.sortOrder === 'ASC' ? 1 : -1;
  // Ties keep the ARN order, so pages are stable however often a list is read.
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order !== 0 ? sign * order : a.findingArn! < b.findingArn! ? -1 : 1;
  };
}

export interface ListFindingsCall {
  /** How many findings the answer lists (for the call log's keys). */
  arns: string[];
  response: EmulatorResponse;
}

const validation = (field: string, message: string): EmulatorResponse =>
  restJson1Error('ValidationException', 400, {
    message: `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${message}`,
    reason: 'FIELD_VALIDATION_FAILED',
    fields: [{ name: field, message }],
  });

/** Answers one ListFindings request body for `region`'s findings. */
export function listFindings(findings: readonly Finding[], region: string | undefined, rawBody: string): ListFindingsCall {
  let body: unknown;
  try {
    body = rawBody.length === 0 ? {} : JSON.parse(rawBody);
  } catch {
    return { arns: [], response: restJson1Error('SerializationException', 400, { message: 'Malformed request body' }) };
  }
  if (!isObject(body)) return { arns: [], response: restJson1Error('SerializationException', 400, { message: 'Expected an object' }) };
  try {
    const { maxResults, nextToken, filterCriteria, sortCriteria } = body;
    if (maxResults !== undefined && (!Number.isInteger(maxResults) || (maxResults as number) < 1 || (maxResults as number) > MAX_RESULTS)) {
      throw new Invalid('maxResults', `Member must have value between 1 and ${MAX_RESULTS}`);
    }
    const tests = predicates(filterCriteria);
    const order = sorter(sortCriteria);
    // A token names where the next page starts and the query it belongs to.
    const query = createHash('sha256')
      .update(JSON.stringify([region ?? '', filterCriteria ?? null, sortCriteria ?? null]))
      .digest('hex')
      .slice(0, 16);
    let start = 0;
    if (nextToken !== undefined && nextToken !== null) {
      if (typeof nextToken !== 'string' || nextToken.length > MAX_NEXT_TOKEN) {
        throw new Invalid('nextToken', `Member must have length less than or equal to ${MAX_NEXT_TOKEN}`);
      }
      const match = /^([0-9a-f]{16})\.(\d{1,9})$/.exec(Buffer.from(nextToken, 'base64url').toString('utf8'));
      if (!match || match[1] !== query) throw new Invalid('nextToken', 'The next token is invalid or belongs to another query');
      start = Number(match[2]);
    }
    const listed = findings.filter((finding) => finding.findingArn!.split(':')[3] === region && tests.every((test) => test(finding)));
    if (order) listed.sort(order);
    const size = Math.min((maxResults as number | undefined) ?? PAGE_BOUND, PAGE_BOUND);
    const page = listed.slice(start, start + size);
    const next = start + size < listed.length ? Buffer.from(`${query}.${start + size}`).toString('base64url') : undefined;
    return {
      arns: page.map((finding) => finding.findingArn!),
      response: {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() },
        body: `{"findings":[${page.map((finding) => toAwsJson(finding)).join(',')}]${next ? `,"nextToken":${JSON.stringify(next)}` : ''}}`,
      },
    };
  } catch (error) {
    if (error instanceof Invalid) return { arns: [], response: validation(error.field, error.message) };
    throw error;
  }
}
