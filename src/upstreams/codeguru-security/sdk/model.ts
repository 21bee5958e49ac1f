/**
 * CodeGuru Security 2018-05-10 shapes reachable from `BatchGetFindings`, as a generated client
 * declares them (`models_0.d.ts`): member names as on the wire, every output member optional
 * unless the model marks it required, enums as string unions. Source: the Smithy model named
 * in ./endpoint/ruleset.ts. The wire (de)serialization lives in ./schemas.ts.
 */
import type { MetadataBearer } from '@smithy/types';

export type Severity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info';
export type Status = 'Closed' | 'Open' | 'All';
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
