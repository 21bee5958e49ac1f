/**
 * CodeGuru Security 2018-05-10 shapes reachable from `BatchGetFindings`, `ListScans` and `GetFindings`, as a generated client
 * declares them (`models_0.d.ts`): member names as on the wire, every output member optional
 * unless the model marks it required, enums as string unions. Source: the Smithy model named
 * in ./endpoint/ruleset.ts. The wire (de)serialization lives in ./schemas.ts.
 */
import type { MetadataBearer } from '@smithy/types';

export type Severity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info';
export type Status = 'Closed' | 'Open' | 'All';
export type ScanState = 'InProgress' | 'Successful' | 'Failed';
export type ErrorCode = 'DUPLICATE_IDENTIFIER' | 'ITEM_DOES_NOT_EXIST' | 'INTERNAL_ERROR' | 'INVALID_FINDING_ID' | 'INVALID_SCAN_NAME';
export type ValidationExceptionReason = 'unknownOperation' | 'cannotParse' | 'fieldValidationFailed' | 'other' | 'lambdaCodeShaMisMatch';

export interface CodeLine {
  number?: number;
  content?: string;
}
export interface FilePath {
  name?: string;
  path?: string;
  startLine?: number;
  endLine?: number;
  codeSnippet?: CodeLine[];
}
export interface Vulnerability {
  referenceUrls?: string[];
  relatedVulnerabilities?: string[];
  id?: string;
  filePath?: FilePath;
  /** @deprecated "This shape is not used." (model) */
  itemCount?: number;
}
export interface Resource {
  id?: string;
  subResourceId?: string;
}
export interface Recommendation {
  text?: string;
  url?: string;
}
export interface SuggestedFix {
  description?: string;
  code?: string;
}
export interface Remediation {
  recommendation?: Recommendation;
  suggestedFixes?: SuggestedFix[];
}
export interface Finding {
  createdAt?: Date;
  description?: string;
  generatorId?: string;
  id?: string;
  updatedAt?: Date;
  type?: string;
  status?: Status;
  resource?: Resource;
  vulnerability?: Vulnerability;
  severity?: Severity;
  remediation?: Remediation;
  title?: string;
  detectorTags?: string[];
  detectorId?: string;
  detectorName?: string;
  ruleId?: string;
}
export interface FindingIdentifier {
  scanName: string;
  findingId: string;
}
export interface BatchGetFindingsError {
  scanName: string;
  findingId: string;
  errorCode: ErrorCode;
  message: string;
}
export interface ValidationExceptionField {
  name: string;
  message: string;
}

export interface BatchGetFindingsRequest {
  findingIdentifiers: FindingIdentifier[];
}
export interface BatchGetFindingsResponse {
  findings: Finding[];
  failedFindings: BatchGetFindingsError[];
}
export type BatchGetFindingsCommandInput = BatchGetFindingsRequest;
export interface BatchGetFindingsCommandOutput extends BatchGetFindingsResponse, MetadataBearer {}

export interface ScanSummary {
  scanState: ScanState;
  createdAt: Date;
  updatedAt?: Date;
  scanName: string;
  runId: string;
  scanNameArn?: string;
}

export interface ListScansRequest {
  /** `@httpQuery("nextToken")`: 1..2048 non-space characters. */
  nextToken?: string;
  /** `@httpQuery("maxResults")`, 1..100 (the service's default: 100). */
  maxResults?: number;
}
export interface ListScansResponse {
  summaries?: ScanSummary[];
  nextToken?: string;
}
export type ListScansCommandInput = ListScansRequest;
export interface ListScansCommandOutput extends ListScansResponse, MetadataBearer {}

export interface GetFindingsRequest {
  /** `@httpLabel`: the `{scanName}` of `GET /findings/{scanName}`. */
  scanName: string;
  nextToken?: string;
  /** `@httpQuery("maxResults")`, 1..1000 (the service's default: 1000). */
  maxResults?: number;
  status?: Status;
}
export interface GetFindingsResponse {
  findings?: Finding[];
  nextToken?: string;
}
export type GetFindingsCommandInput = GetFindingsRequest;
export interface GetFindingsCommandOutput extends GetFindingsResponse, MetadataBearer {}
