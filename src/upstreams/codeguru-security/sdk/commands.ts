/**
 * `BatchGetFindingsCommand`, `ListScansCommand` and `GetFindingsCommand`, built as generated commands are (`commandBuilder.js` +
 * `commands/BatchGetFindingsCommand.js`): the operation schema, the endpoint parameters and
 * the endpoint plugin, nothing else. The public name and input/output types are the generated ones.
 */
import { makeBuilder } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';
import type { CodeGuruSecurityClientResolvedConfig, ServiceInputTypes, ServiceOutputTypes } from './client.js';
import { commonParams } from './endpoint/resolver.js';
import type {
  BatchGetFindingsCommandInput,
  BatchGetFindingsCommandOutput,
  GetFindingsCommandInput,
  GetFindingsCommandOutput,
  ListScansCommandInput,
  ListScansCommandOutput,
} from './model.js';
import { BatchGetFindings$, GetFindings$, ListScans$ } from './schemas.js';

const command = makeBuilder<CodeGuruSecurityClientResolvedConfig & { requestHandler: never }, ServiceInputTypes, ServiceOutputTypes>(
  commonParams,
  'AwsCodeGuruSecurity',
  'CodeGuruSecurityClient',
  getEndpointPlugin,
);

export class BatchGetFindingsCommand extends command<BatchGetFindingsCommandInput, BatchGetFindingsCommandOutput>(
  {},
  () => [],
  'BatchGetFindings',
  BatchGetFindings$,
) {}

export class ListScansCommand extends command<ListScansCommandInput, ListScansCommandOutput>({}, () => [], 'ListScans', ListScans$) {}

export class GetFindingsCommand extends command<GetFindingsCommandInput, GetFindingsCommandOutput>(
  {},
  () => [],
  'GetFindings',
  GetFindings$,
) {}
