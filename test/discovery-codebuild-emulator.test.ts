import {
  CodeBuildClient,
  InvalidInputException,
  ListBuildsCommand,
  ListBuildsForProjectCommand,
  ListProjectsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectsOf } from '../emulator/codebuild/data.js';
import { EMULATOR_CREDENTIALS } from '../emulator/core/aws-wire.js';
import { SeededEmulator } from '../emulator/index.js';

// The emulator's CodeBuild list operations against the model (2016-10-06), through the official SDK client: 100 items
// a page and a nextToken (no page-size parameter), tokens valid only for the list that issued them, the model's errors.

let emulator: SeededEmulator;
let client: CodeBuildClient;
beforeAll(async () => {
  emulator = new SeededEmulator();
  await emulator.start();
  client = new CodeBuildClient({ region: 'us-east-1', endpoint: emulator.url, credentials: EMULATOR_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await emulator.stop();
});
beforeEach(() => emulator.reset());

const projects = () => projectsOf(emulator.data.builds);

async function drain(page: (nextToken: string | undefined) => Promise<{ ids?: string[] | undefined; nextToken?: string | undefined }>) {
  const pages: string[][] = [];
  let token: string | undefined;
  do {
    const answer = await page(token);
    pages.push(answer.ids ?? []);
    token = answer.nextToken;
  } while (token !== undefined && pages.length < 50);
  return pages;
}

describe('emulated CodeBuild list operations', () => {
  it('ListBuildsForProject: 100 ids a page, latest build first, a nextToken until the last page', async () => {
    const big = projects().find((project) => project.name === 'payments-api')!;
    const pages = await drain((nextToken) => client.send(new ListBuildsForProjectCommand({ projectName: big.name, nextToken })));
    expect(pages.map((page) => page.length)).toEqual([100, 100, 40]);
    expect(pages.flat()).toEqual([...big.buildIds].reverse());
    expect(emulator.calls.of('codebuild').map((call) => [call.operation, call.keys])).toEqual([
      ['ListBuildsForProject', ['payments-api']],
      ['ListBuildsForProject', ['payments-api']],
      ['ListBuildsForProject', ['payments-api']],
    ]);
  });

  it('ListBuilds pages all 1,344 builds; ListProjects names the 29 projects the builds name, in one page', async () => {
    const pages = await drain((nextToken) => client.send(new ListBuildsCommand({ nextToken })));
    expect(pages).toHaveLength(14);
    expect(new Set(pages.flat())).toEqual(new Set(emulator.data.builds.map((build) => build.id)));
    const listed = await client.send(new ListProjectsCommand({}));
    expect(listed.projects).toEqual(
      projects()
        .map((project) => project.name)
        .sort(),
    );
    expect(listed.nextToken).toBeUndefined();
    const byModified = await client.send(new ListProjectsCommand({ sortBy: 'LAST_MODIFIED_TIME', sortOrder: 'ASCENDING' }));
    expect(byModified.projects).toEqual(
      [...projects()].sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime()).map((project) => project.name),
    );
    expect(emulator.calls.of('codebuild', (call) => call.operation === 'ListProjects').every((call) => call.keys.length === 0)).toBe(true);
  });

  it('refuses a forged token, a token of another list and an enum value the model does not have (InvalidInputException)', async () => {
    const first = await client.send(new ListBuildsForProjectCommand({ projectName: 'payments-api' }));
    const token = first.nextToken!;
    const refused = [
      client.send(new ListBuildsForProjectCommand({ projectName: 'payments-api', nextToken: `${token}x` })),
      client.send(new ListBuildsForProjectCommand({ projectName: 'web-frontend', nextToken: token })),
      client.send(new ListBuildsCommand({ nextToken: token })),
      client.send(new ListBuildsCommand({ nextToken: 'garbage' })),
      client.send(new ListProjectsCommand({ nextToken: '' })),
      client.send(new ListBuildsCommand({ sortOrder: 'SIDEWAYS' as never })),
      client.send(new ListProjectsCommand({ sortBy: 'SIZE' as never })),
      // The model: "If the project has more than 100 builds, setting the sort order will result in an error."
      client.send(new ListBuildsForProjectCommand({ projectName: 'payments-api', sortOrder: 'ASCENDING' })),
    ];
    for (const call of refused) await expect(call).rejects.toBeInstanceOf(InvalidInputException);
    // A small project takes a sort order.
    const small = await client.send(new ListBuildsForProjectCommand({ projectName: 'auth-service', sortOrder: 'ASCENDING' }));
    expect(small.ids).toEqual(projects().find((project) => project.name === 'auth-service')!.buildIds);
  });

  it('answers ResourceNotFoundException for an unknown project', async () => {
    await expect(client.send(new ListBuildsForProjectCommand({ projectName: 'no-such-project' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
