/**
 * Where a client's commands go, asked of the SDK's own endpoint middleware function
 * (configured endpoints, then the rule set). For start-up messages and tests.
 */
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { CodeGuruSecurityClient, type CodeGuruSecurityClientConfig } from '../client.js';
import { BatchGetFindingsCommand } from '../commands.js';
import type { BatchGetFindingsCommandInput } from '../model.js';

/** The endpoint a command sent by this client would go to. */
export async function resolveClientEndpoint(
  client: CodeGuruSecurityClient,
  input: BatchGetFindingsCommandInput = { findingIdentifiers: [] },
): Promise<URL> {
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
