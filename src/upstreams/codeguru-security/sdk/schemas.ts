/**
 * The static schemas of `BatchGetFindings`, `ListScans` and `GetFindings`, in the form generated clients carry them
 * (`schemas/schemas_0.js`), so the SDK's own schema-based protocol (AwsRestJsonProtocol)
 * serializes the request, deserializes the answer (epoch-second timestamps into Dates) and
 * picks the error class exactly as a generated client would. Written from the Smithy model
 * (shape closures of the three operations and their six errors); test/codeguru-security-client.test.ts
 * checks these against the model member for member.
 *
 * Encoding (@smithy/types static-schemas): [3 structure | 1 list | -3 error | 9 operation,
 * namespace, name, traits, member names, member schemas, required count]; member schema 0 is a
 * string (enums too), 1 a number, 4 a timestamp in the protocol's default format, 64|0 a list
 * of strings. Required members come first, as the generator orders them. A member bound to
 * the HTTP request carries its trait beside its schema, as generated: `[0, { httpQuery: 'maxResults' }]`,
 * `[0, 1]` (1 = httpLabel, the packed trait bits of @smithy/core's translateTraits).
 */
import { TypeRegistry } from '@smithy/core/schema';
import type { StaticErrorSchema, StaticListSchema, StaticOperationSchema, StaticStructureSchema } from '@smithy/types';
import {
  AccessDeniedException,
  CodeGuruSecurityServiceException,
  ConflictException,
  InternalServerException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from './errors.js';

export const NAMESPACE = 'com.amazonaws.codegurusecurity';
const n0 = NAMESPACE;
const SYNTHETIC = `smithy.ts.sdk.synthetic.${NAMESPACE}`;
const STRING = 0;
const NUMBER = 1;
const TIMESTAMP = 4;
const STRING_LIST = 64 | 0;

// Lazy references (`() => Shape`), as generated: resolved at first use, so order does not matter.
const CodeLine$: StaticStructureSchema = [3, n0, 'CodeLine', 0, ['number', 'content'], [NUMBER, STRING]];
const CodeSnippet: StaticListSchema = [1, n0, 'CodeSnippet', 0, () => CodeLine$];
const FilePath$: StaticStructureSchema = [
  3,
  n0,
  'FilePath',
  0,
  ['name', 'path', 'startLine', 'endLine', 'codeSnippet'],
  [STRING, STRING, NUMBER, NUMBER, () => CodeSnippet],
];
const Vulnerability$: StaticStructureSchema = [
  3,
  n0,
  'Vulnerability',
  0,
  ['referenceUrls', 'relatedVulnerabilities', 'id', 'filePath', 'itemCount'],
  [STRING_LIST, STRING_LIST, STRING, () => FilePath$, NUMBER],
];
const Resource$: StaticStructureSchema = [3, n0, 'Resource', 0, ['id', 'subResourceId'], [STRING, STRING]];
const Recommendation$: StaticStructureSchema = [3, n0, 'Recommendation', 0, ['text', 'url'], [STRING, STRING]];
const SuggestedFix$: StaticStructureSchema = [3, n0, 'SuggestedFix', 0, ['description', 'code'], [STRING, STRING]];
const SuggestedFixes: StaticListSchema = [1, n0, 'SuggestedFixes', 0, () => SuggestedFix$];
const Remediation$: StaticStructureSchema = [
  3,
  n0,
  'Remediation',
  0,
  ['recommendation', 'suggestedFixes'],
  [() => Recommendation$, () => SuggestedFixes],
];
export const Finding$: StaticStructureSchema = [
  3,
  n0,
  'Finding',
  0,
  [
    'createdAt',
    'description',
    'generatorId',
    'id',
    'updatedAt',
    'type',
    'status',
    'resource',
    'vulnerability',
    'severity',
    'remediation',
    'title',
    'detectorTags',
    'detectorId',
    'detectorName',
    'ruleId',
  ],
  [
    TIMESTAMP,
    STRING,
    STRING,
    STRING,
    TIMESTAMP,
    STRING,
    STRING,
    () => Resource$,
    () => Vulnerability$,
    STRING,
    () => Remediation$,
    STRING,
    STRING_LIST,
    STRING,
    STRING,
    STRING,
  ],
];
const Findings: StaticListSchema = [1, n0, 'Findings', 0, () => Finding$];
const FindingIdentifier$: StaticStructureSchema = [3, n0, 'FindingIdentifier', 0, ['scanName', 'findingId'], [STRING, STRING], 2];
const FindingIdentifiers: StaticListSchema = [1, n0, 'FindingIdentifiers', 0, () => FindingIdentifier$];
const BatchGetFindingsError$: StaticStructureSchema = [
  3,
  n0,
  'BatchGetFindingsError',
  0,
  ['scanName', 'findingId', 'errorCode', 'message'],
  [STRING, STRING, STRING, STRING],
  4,
];
const BatchGetFindingsErrors: StaticListSchema = [1, n0, 'BatchGetFindingsErrors', 0, () => BatchGetFindingsError$];
const ValidationExceptionField$: StaticStructureSchema = [3, n0, 'ValidationExceptionField', 0, ['name', 'message'], [STRING, STRING], 2];
const ValidationExceptionFieldList: StaticListSchema = [1, n0, 'ValidationExceptionFieldList', 0, () => ValidationExceptionField$];

export const BatchGetFindingsRequest$: StaticStructureSchema = [
  3,
  n0,
  'BatchGetFindingsRequest',
  0,
  ['findingIdentifiers'],
  [() => FindingIdentifiers],
  1,
];
export const BatchGetFindingsResponse$: StaticStructureSchema = [
  3,
  n0,
  'BatchGetFindingsResponse',
  0,
  ['findings', 'failedFindings'],
  [() => Findings, () => BatchGetFindingsErrors],
  2,
];
export const BatchGetFindings$: StaticOperationSchema = [
  9,
  n0,
  'BatchGetFindings',
  { http: ['POST', '/batchGetFindings', 200] },
  () => BatchGetFindingsRequest$,
  () => BatchGetFindingsResponse$,
];

// ---- ListScans and GetFindings: GET with the page in the query string ---------------------

/** The packed-traits form of `@httpLabel` (bit 0 of translateTraits). */
const HTTP_LABEL = 1;
const query = (name: string) => ({ httpQuery: name });

const ScanSummary$: StaticStructureSchema = [
  3,
  n0,
  'ScanSummary',
  0,
  ['scanState', 'createdAt', 'scanName', 'runId', 'updatedAt', 'scanNameArn'],
  [STRING, TIMESTAMP, STRING, STRING, TIMESTAMP, STRING],
  4,
];
const ScanSummaries: StaticListSchema = [1, n0, 'ScanSummaries', 0, () => ScanSummary$];

export const ListScansRequest$: StaticStructureSchema = [
  3,
  n0,
  'ListScansRequest',
  0,
  ['nextToken', 'maxResults'],
  [
    [STRING, query('nextToken')],
    [NUMBER, query('maxResults')],
  ],
];
export const ListScansResponse$: StaticStructureSchema = [
  3,
  n0,
  'ListScansResponse',
  0,
  ['summaries', 'nextToken'],
  [() => ScanSummaries, STRING],
];
export const ListScans$: StaticOperationSchema = [
  9,
  n0,
  'ListScans',
  { http: ['GET', '/scans', 200] },
  () => ListScansRequest$,
  () => ListScansResponse$,
];

export const GetFindingsRequest$: StaticStructureSchema = [
  3,
  n0,
  'GetFindingsRequest',
  0,
  ['scanName', 'nextToken', 'maxResults', 'status'],
  [
    [STRING, HTTP_LABEL],
    [STRING, query('nextToken')],
    [NUMBER, query('maxResults')],
    [STRING, query('status')],
  ],
  1,
];
export const GetFindingsResponse$: StaticStructureSchema = [
  3,
  n0,
  'GetFindingsResponse',
  0,
  ['findings', 'nextToken'],
  [() => Findings, STRING],
];
export const GetFindings$: StaticOperationSchema = [
  9,
  n0,
  'GetFindings',
  { http: ['GET', '/findings/{scanName}', 200] },
  () => GetFindingsRequest$,
  () => GetFindingsResponse$,
];

// ---- Errors: the registries the protocol resolves an error type against ------------------

const syntheticRegistry = TypeRegistry.for(SYNTHETIC);
export const CodeGuruSecurityServiceException$: StaticErrorSchema = [-3, SYNTHETIC, 'CodeGuruSecurityServiceException', 0, [], []];
syntheticRegistry.registerError(CodeGuruSecurityServiceException$, CodeGuruSecurityServiceException);

const registry = TypeRegistry.for(n0);
export const AccessDeniedException$: StaticErrorSchema = [
  -3,
  n0,
  'AccessDeniedException',
  { error: 'client', httpError: 403 },
  ['errorCode', 'message', 'resourceId', 'resourceType'],
  [STRING, STRING, STRING, STRING],
  2,
];
registry.registerError(AccessDeniedException$, AccessDeniedException);
export const InternalServerException$: StaticErrorSchema = [
  -3,
  n0,
  'InternalServerException',
  { error: 'server', httpError: 500 },
  ['error', 'message'],
  [STRING, STRING],
];
registry.registerError(InternalServerException$, InternalServerException);
export const ThrottlingException$: StaticErrorSchema = [
  -3,
  n0,
  'ThrottlingException',
  { error: 'client', httpError: 429 },
  ['errorCode', 'message', 'serviceCode', 'quotaCode'],
  [STRING, STRING, STRING, STRING],
  2,
];
registry.registerError(ThrottlingException$, ThrottlingException);
export const ValidationException$: StaticErrorSchema = [
  -3,
  n0,
  'ValidationException',
  { error: 'client', httpError: 400 },
  ['errorCode', 'message', 'reason', 'fieldList'],
  [STRING, STRING, STRING, () => ValidationExceptionFieldList],
  3,
];
registry.registerError(ValidationException$, ValidationException);
export const ResourceNotFoundException$: StaticErrorSchema = [
  -3,
  n0,
  'ResourceNotFoundException',
  { error: 'client', httpError: 404 },
  ['errorCode', 'message', 'resourceId', 'resourceType'],
  [STRING, STRING, STRING, STRING],
  4,
];
registry.registerError(ResourceNotFoundException$, ResourceNotFoundException);
export const ConflictException$: StaticErrorSchema = [
  -3,
  n0,
  'ConflictException',
  { error: 'client', httpError: 409 },
  ['errorCode', 'message', 'resourceId', 'resourceType'],
  [STRING, STRING, STRING, STRING],
  4,
];
registry.registerError(ConflictException$, ConflictException);

export const errorTypeRegistries = [syntheticRegistry, registry];
