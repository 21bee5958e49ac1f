/**
 * `BatchGetFindingsCommand`, built as generated commands are (`commandBuilder.js` +
 * `commands/BatchGetFindingsCommand.js`): the operation schema, the endpoint parameters and
 * the endpoint plugin, nothing else. The public name and input/output types are the generated ones.
 */
import { makeBuilder } from '@smithy/core/client';
import { getEndpointFromInstructions, getEndpointPlugin } from '@smithy/core/endpoints';
import { CodeGuruSecurityClient, type CodeGuruSecurityClientConfig, type CodeGuruSecurityClientResolvedConfig, type ServiceInputTypes, type ServiceOutputTypes } from './client.js';
import { commonParams } from './endpoint/resolver.js';
import type { BatchGetFindingsCommandInput, BatchGetFindingsCommandOutput } from './model.js';
import { BatchGetFindings$ } from './schemas.js';

const command = makeBuilder<CodeGuruSecurityClientResolvedConfig & { requestHandler: never }, ServiceInputTypes, ServiceOutputTypes>(
  commonParams,
  'AwsCodeGuruSecurity',
  'CodeGuruSecurityClient',
  getEndpointPlugin,
);

export class BatchGetFindingsCommand extends command<BatchGetFindingsCommandInput, BatchGetFindingsCommandOutput>({}, () => [], 'BatchGetFindings', BatchGetFindings$) {}

/**
 * The endpoint a command sent by this client would go to, resolved by the middleware's own
 * function (configured endpoints, then the rule set). For start-up messages and tests.
 */
export async function resolveClientEndpoint(client: CodeGuruSecurityClient, input: BatchGetFindingsCommandInput = { findingIdentifiers: [] }): Promise<URL> {
  const endpoint = await getEndpointFromInstructions(input, BatchGetFindingsCommand as never, client.config as never);
  return new URL(endpoint.url.href);
}

/** The endpoint a client created with `config` would use (a throwaway client, destroyed after). */
export async function resolveCodeGuruSecurityEndpoint(config: CodeGuruSecurityClientConfig): Promise<URL> {
  const client = new CodeGuruSecurityClient(config);
  try {
    return await resolveClientEndpoint(client);
  } finally {
    client.destroy();
  }
}
