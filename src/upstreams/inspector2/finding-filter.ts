/**
 * `inspectorFindings`' arguments checked and turned into ListFindings' request members before
 * any call: every limit the model states (1..10 filters per member, StringInput 1..1024
 * characters), what a range must be to match anything (an end given, start not after end), the
 * values of members with a fixed set (from the installed SDK's own enums, so an upgrade brings
 * new ones) and a real region. Every problem is reported at once, each naming its argument's
 * path (`filter.severity[1].value`), in one BAD_USER_INPUT error at the field.
 */
import {
  CodeRepositoryProviderType,
  ExploitAvailable,
  FindingStatus,
  FindingType,
  FixAvailable,
  NetworkProtocol,
  ResourceType,
  Runtime,
  Severity,
  type DateFilter,
  type FilterCriteria,
  type NumberFilter,
  type SortCriteria,
  type StringFilter,
} from '@aws-sdk/client-inspector2';
import type { InspectorFindingFilter, InspectorSortCriteria } from '../../generated/resolvers-types.js';
import { badUserInput, quote, type SubgraphError } from '../../errors.js';
import { isRealRegion } from '../../input/regions.js';
import { INSPECTOR2 } from './model.js';

/** The model's bounds: StringFilterList/DateFilterList/NumberFilterList 1..10, StringInput 1..1024. */
export const MAX_FILTERS_PER_MEMBER = 10;
export const MAX_FILTER_VALUE_CHARS = 1024;
/** Problems one error lists; the count of the rest is stated. */
const MAX_LISTED_PROBLEMS = 10;
/** An AWS region name (`us-east-1`, `us-gov-west-1`) is short; anything longer is not worth a lookup. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

type Kind = 'string' | 'date' | 'number';

/** Every FilterCriteria member the field accepts, by kind (resourceTags, portRange and vulnerablePackages are not offered). */
const MEMBERS: Record<keyof InspectorFindingFilter & string, Kind> = {
  findingArn: 'string',
  awsAccountId: 'string',
  findingType: 'string',
  severity: 'string',
  firstObservedAt: 'date',
  lastObservedAt: 'date',
  updatedAt: 'date',
  findingStatus: 'string',
  title: 'string',
  inspectorScore: 'number',
  resourceType: 'string',
  resourceId: 'string',
  ec2InstanceImageId: 'string',
  ec2InstanceVpcId: 'string',
  ec2InstanceSubnetId: 'string',
  ecrImagePushedAt: 'date',
  ecrImageArchitecture: 'string',
  ecrImageRegistry: 'string',
  ecrImageRepositoryName: 'string',
  ecrImageTags: 'string',
  ecrImageHash: 'string',
  ecrImageLastInUseAt: 'date',
  ecrImageInUseCount: 'number',
  networkProtocol: 'string',
  componentId: 'string',
  componentType: 'string',
  vulnerabilityId: 'string',
  vulnerabilitySource: 'string',
  vendorSeverity: 'string',
  relatedVulnerabilities: 'string',
  fixAvailable: 'string',
  lambdaFunctionName: 'string',
  lambdaFunctionLayers: 'string',
  lambdaFunctionRuntime: 'string',
  lambdaFunctionLastModifiedAt: 'date',
  lambdaFunctionExecutionRoleArn: 'string',
  exploitAvailable: 'string',
  codeVulnerabilityDetectorName: 'string',
  codeVulnerabilityDetectorTags: 'string',
  codeVulnerabilityFilePath: 'string',
  epssScore: 'number',
  codeRepositoryProjectName: 'string',
  codeRepositoryProviderType: 'string',
};

/** Members whose values are a fixed set: EQUALS / NOT_EQUALS of anything else can only be a mistake (`critical` for CRITICAL). */
const VALUE_SETS: Partial<Record<keyof InspectorFindingFilter, readonly string[]>> = {
  findingType: Object.values(FindingType),
  severity: Object.values(Severity),
  findingStatus: Object.values(FindingStatus),
  resourceType: Object.values(ResourceType),
  networkProtocol: Object.values(NetworkProtocol),
  fixAvailable: Object.values(FixAvailable),
  exploitAvailable: Object.values(ExploitAvailable),
  lambdaFunctionRuntime: Object.values(Runtime),
  codeRepositoryProviderType: Object.values(CodeRepositoryProviderType),
};

export interface ListFindingsQuery {
  region: string;
  filterCriteria?: FilterCriteria;
  sortCriteria?: SortCriteria;
}

export interface InspectorFindingsArgs {
  region?: string | null;
  filter?: InspectorFindingFilter | null;
  sort?: InspectorSortCriteria | null;
}

interface Problem {
  argument: string;
  message: string;
}

/** The request members for these arguments, or the BAD_USER_INPUT error naming every problem. */
export function listFindingsQuery(args: InspectorFindingsArgs, defaultRegion: string): ListFindingsQuery | SubgraphError {
  const problems: Problem[] = [];
  const region = args.region ?? defaultRegion;
  if (typeof region !== 'string' || !REGION.test(region) || !isRealRegion(region)) {
    problems.push({ argument: 'region', message: `${quote(region)} is not an AWS region.` });
  }
  const filterCriteria = args.filter ? criteria(args.filter, problems) : undefined;
  if (problems.length > 0) return refusal(problems);
  return {
    region,
    ...(filterCriteria && Object.keys(filterCriteria).length > 0 && { filterCriteria }),
    // Both members are required GraphQL enums: nothing left to check.
    ...(args.sort && { sortCriteria: { field: args.sort.field, sortOrder: args.sort.sortOrder } }),
  };
}

function criteria(filter: InspectorFindingFilter, problems: Problem[]): FilterCriteria {
  const out: Record<string, unknown> = {};
  for (const [member, given] of Object.entries(filter)) {
    const kind = MEMBERS[member as keyof typeof MEMBERS];
    if (given === null || given === undefined || kind === undefined) continue;
    const at = `filter.${member}`;
    const list = given as unknown[];
    if (list.length < 1 || list.length > MAX_FILTERS_PER_MEMBER) {
      problems.push({ argument: at, message: `takes 1 to ${MAX_FILTERS_PER_MEMBER} filters, got ${list.length}.` });
      continue;
    }
    if (kind === 'string') out[member] = list.map((f, i) => stringFilter(member, f as StringFilter, `${at}[${i}]`, problems));
    if (kind === 'date') out[member] = list.map((f, i) => dateFilter(f as DateFilter, `${at}[${i}]`, problems));
    if (kind === 'number') out[member] = list.map((f, i) => numberFilter(f as NumberFilter, `${at}[${i}]`, problems));
  }
  return out as FilterCriteria;
}

function stringFilter(member: string, filter: StringFilter, at: string, problems: Problem[]): StringFilter {
  const value = filter.value ?? '';
  if (value.length < 1 || value.length > MAX_FILTER_VALUE_CHARS) {
    problems.push({ argument: `${at}.value`, message: `must be 1 to ${MAX_FILTER_VALUE_CHARS} characters, got ${value.length}.` });
  } else if (filter.comparison !== 'PREFIX') {
    const allowed = VALUE_SETS[member as keyof InspectorFindingFilter];
    if (allowed && !allowed.includes(value)) {
      problems.push({ argument: `${at}.value`, message: `${quote(value)} is not one of ${allowed.join(', ')}.` });
    }
  }
  return { comparison: filter.comparison, value };
}

function dateFilter(filter: DateFilter, at: string, problems: Problem[]): DateFilter {
  const { startInclusive: start, endInclusive: end } = filter;
  if (!start && !end) problems.push({ argument: at, message: 'needs startInclusive, endInclusive or both.' });
  else if (start && end && start.getTime() > end.getTime())
    problems.push({ argument: at, message: 'startInclusive is after endInclusive: the range matches nothing.' });
  return { ...(start && { startInclusive: start }), ...(end && { endInclusive: end }) };
}

function numberFilter(filter: NumberFilter, at: string, problems: Problem[]): NumberFilter {
  const { lowerInclusive: lower, upperInclusive: upper } = filter;
  const given = (n: number | null | undefined): n is number => n !== null && n !== undefined;
  if (!given(lower) && !given(upper)) problems.push({ argument: at, message: 'needs lowerInclusive, upperInclusive or both.' });
  else if (given(lower) && given(upper) && lower > upper)
    problems.push({ argument: at, message: 'lowerInclusive is above upperInclusive: the range matches nothing.' });
  return { ...(given(lower) && { lowerInclusive: lower }), ...(given(upper) && { upperInclusive: upper }) };
}

function refusal(problems: Problem[]): SubgraphError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  const error = badUserInput(
    `inspectorFindings: ${listed.map((p) => `\`${p.argument}\` ${p.message}`).join(' ')}${more > 0 ? ` (and ${more} more)` : ''}`,
    INSPECTOR2,
  );
  // Each problem by argument path, for clients that mark the fields of a form.
  (error.extensions as Record<string, unknown>).invalidArguments = listed;
  return error;
}
