import { describe, expect, it } from 'vitest';
import { projectsOf } from '../emulator/codebuild/data.js';
import { codebuildExamples } from '../emulator/codebuild/examples.js';
import { useStack } from '../testkit/use-stack.js';

/**
 * CodeBuild discovery through the real server and SDK client against the emulator: every upstream call is
 * counted from the emulator's call log, never from the client.
 */
const stack = useStack();

const calls = (operation: string) => stack.emulator.calls.of('codebuild', (call) => call.operation === operation);
const projects = () => projectsOf(stack.emulator.data.builds);
const byName = (name: string) => projects().find((project) => project.name === name)!;
/** The busy project (240 builds, three upstream pages) and a quiet one (6 builds). */
const BIG = 'payments-api';
const SMALL = 'auth-service';

interface Page<Node> {
  edges: Array<{ cursor: string; node: Node | null }>;
  nodes: Array<Node | null>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
type BuildNode = { id: string; projectName: string; buildNumber: number };
const BUILD_PAGE = `edges { cursor node { id projectName buildNumber } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

async function projectBuilds(projectName: string, first: number, after?: string | null, sortOrder?: string) {
  return stack.query<{ projectBuilds: Page<BuildNode> }>(
    `query($p: String!, $first: Int, $after: String, $order: CodeBuildSortOrderType) {
      projectBuilds(projectName: $p, first: $first, after: $after, sortOrder: $order) { ${BUILD_PAGE} } }`,
    { p: projectName, first, after, order: sortOrder },
  );
}

describe('projectBuilds', () => {
  it('pages every build of a 240-build project once, in ListBuildsForProject order (latest build number first)', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await projectBuilds(BIG, 100, after);
      expect(response.errors).toBeUndefined();
      const connection = response.data!.projectBuilds;
      seen.push(...connection.edges.map((edge) => edge.node!.id));
      expect(connection.nodes.map((node) => node!.id)).toEqual(connection.edges.map((edge) => edge.node!.id));
      expect(connection.edges.every((edge) => edge.node!.projectName === BIG)).toBe(true);
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([...byName(BIG).buildIds].reverse());
    expect(new Set(seen).size).toBe(240);
    // 100 + 100 + 40: one list call and one BatchGetBuilds a page, each of at most 100 ids.
    expect(calls('ListBuildsForProject')).toHaveLength(3);
    expect(calls('ListBuildsForProject').every((call) => call.keys.length === 1 && call.keys[0] === BIG)).toBe(true);
    expect(calls('BatchGetBuilds').map((call) => call.keys.length)).toEqual([100, 100, 40]);
  });

  it('a page of 20 on an upstream page of 100 costs one list call and one BatchGetBuilds of 20', async () => {
    const response = await projectBuilds(BIG, 20);
    expect(response.errors).toBeUndefined();
    const ids = response.data!.projectBuilds.edges.map((edge) => edge.node!.id);
    expect(ids).toEqual([...byName(BIG).buildIds].reverse().slice(0, 20));
    expect(response.data!.projectBuilds.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(calls('ListBuildsForProject')).toHaveLength(1);
    expect(calls('BatchGetBuilds')).toHaveLength(1);
    expect(calls('BatchGetBuilds')[0]!.keys).toEqual(ids);
  });

  it('a page that straddles two upstream pages costs exactly the two list calls it needs', async () => {
    const first = await projectBuilds(BIG, 90);
    stack.emulator.calls.clear();
    const second = await projectBuilds(BIG, 20, first.data!.projectBuilds.pageInfo.endCursor);
    expect(second.errors).toBeUndefined();
    expect(second.data!.projectBuilds.edges.map((edge) => edge.node!.id)).toEqual([...byName(BIG).buildIds].reverse().slice(90, 110));
    expect(calls('ListBuildsForProject')).toHaveLength(2);
    expect(calls('BatchGetBuilds')).toHaveLength(1);
  });

  it('sorts a small project ascending when asked (by build number)', async () => {
    const response = await projectBuilds(SMALL, 10, null, 'ASCENDING');
    expect(response.errors).toBeUndefined();
    const connection = response.data!.projectBuilds;
    expect(connection.edges.map((edge) => edge.node!.buildNumber)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false });
  });

  it('answers NOT_FOUND for an unknown project, at its field, for its one list call; siblings are served', async () => {
    const response = await stack.query<{ a: Page<BuildNode> | null; b: Page<BuildNode> | null }>(
      `{ a: projectBuilds(projectName: "no-such-project", first: 5) { nodes { id } }
         b: projectBuilds(projectName: "${SMALL}", first: 5) { nodes { id } } }`,
    );
    expect(response.data!.a).toBeNull();
    expect(response.data!.b!.nodes).toHaveLength(5);
    expect(response.errors).toMatchObject([{ path: ['a'], extensions: { code: 'NOT_FOUND' } }]);
    expect(calls('ListBuildsForProject')).toHaveLength(2);
  });

  it('refuses what it can check locally at the field, without any call, siblings intact', async () => {
    const good = await projectBuilds(SMALL, 2);
    const otherProject = (await projectBuilds('web-frontend', 2)).data!.projectBuilds.pageInfo.endCursor!;
    const ascending = (await projectBuilds(SMALL, 2, null, 'ASCENDING')).data!.projectBuilds.pageInfo.endCursor!;
    const cursor = good.data!.projectBuilds.pageInfo.endCursor!;
    stack.emulator.calls.clear();
    const forged = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`;
    const cases: Array<[string, string]> = [
      ['over', `projectBuilds(projectName: "${SMALL}", first: 101)`],
      ['zero', `projectBuilds(projectName: "${SMALL}", first: 0)`],
      ['negative', `projectBuilds(projectName: "${SMALL}", first: -1)`],
      ['garbled', `projectBuilds(projectName: "${SMALL}", after: "not a cursor")`],
      ['forged', `projectBuilds(projectName: "${SMALL}", after: ${JSON.stringify(forged)})`],
      ['long', `projectBuilds(projectName: "${SMALL}", after: "${'x'.repeat(20_000)}")`],
      ['otherProject', `projectBuilds(projectName: "${SMALL}", after: ${JSON.stringify(otherProject)})`],
      ['otherOrder', `projectBuilds(projectName: "${SMALL}", after: ${JSON.stringify(ascending)})`],
      ['otherList', `recentBuilds(after: ${JSON.stringify(cursor)})`],
      ['badName', `projectBuilds(projectName: "x")`],
      ['badChars', `projectBuilds(projectName: "no spaces allowed")`],
      ['longName', `projectBuilds(projectName: "${'a'.repeat(151)}")`],
    ];
    const response = await stack.query<Record<string, unknown>>(
      `{ ${cases.map(([alias, field]) => `${alias}: ${field} { nodes { id } }`).join('\n')}
         fine: codeBuildProjects(first: 1) { nodes { name } } }`,
    );
    for (const [alias] of cases) expect(response.data![alias], alias).toBeNull();
    expect(response.data!.fine).toEqual({
      nodes: [
        {
          name: projects()
            .map((p) => p.name)
            .sort()[0],
        },
      ],
    });
    const errors = response.errors as unknown as Array<{ path: string[]; extensions: { code: string } }>;
    expect(Object.fromEntries(errors.map((error) => [error.path[0], error.extensions.code]))).toEqual(
      Object.fromEntries(cases.map(([alias]) => [alias, 'BAD_USER_INPUT'])),
    );
    // Only the good sibling's one ListProjects.
    expect(stack.emulator.calls.of('codebuild').map((call) => call.operation)).toEqual(['ListProjects']);
  });

  it("passes CodeBuild's refusal of a sort order on a project of more than 100 builds as BAD_USER_INPUT", async () => {
    const response = await projectBuilds(BIG, 5, null, 'ASCENDING');
    expect(response.errors).toMatchObject([{ path: ['projectBuilds'], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(calls('ListBuildsForProject')).toHaveLength(1);
    // DESCENDING is CodeBuild's default: sent as no order, so the big project still lists.
    const descending = await projectBuilds(BIG, 5, null, 'DESCENDING');
    expect(descending.errors).toBeUndefined();
    expect(descending.data!.projectBuilds.nodes).toHaveLength(5);
  });
});

describe('codeBuildProjects', () => {
  it('pages every project once, in ListProjects order, one ListProjects per page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (; pages < 10; pages++) {
      const response: { data?: { codeBuildProjects: Page<{ name: string }> } | null; errors?: unknown } = await stack.query(
        `query($after: String) { codeBuildProjects(first: 10, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      seen.push(...response.data!.codeBuildProjects.edges.map((edge) => edge.node!.name));
      if (!response.data!.codeBuildProjects.pageInfo.hasNextPage) break;
      after = response.data!.codeBuildProjects.pageInfo.endCursor;
    }
    expect(seen).toEqual(
      projects()
        .map((project) => project.name)
        .sort(),
    );
    expect(seen).toHaveLength(29);
    expect(calls('ListProjects')).toHaveLength(pages + 1);
    expect(calls('ListProjects').every((call) => call.keys.length === 0)).toBe(true);
  });

  it('orders by creation time when asked', async () => {
    const response = await stack.query<{ codeBuildProjects: { nodes: Array<{ name: string }> } }>(
      `{ codeBuildProjects(first: 100, sortBy: CREATED_TIME, sortOrder: DESCENDING) { nodes { name } } }`,
    );
    expect(response.errors).toBeUndefined();
    const wanted = [...projects()].sort((a, b) => b.created.getTime() - a.created.getTime()).map((project) => project.name);
    expect(response.data!.codeBuildProjects.nodes.map((node) => node.name)).toEqual(wanted);
  });

  it('20 projects with 5 builds each: 1 ListProjects + 20 ListBuildsForProject + ONE BatchGetBuilds', async () => {
    const response = await stack.query<{ codeBuildProjects: { nodes: Array<{ name: string; builds: { nodes: BuildNode[] } }> } }>(
      `{ codeBuildProjects(first: 20) { nodes { name builds(first: 5) { nodes { id projectName } } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const nodes = response.data!.codeBuildProjects.nodes;
    expect(nodes).toHaveLength(20);
    for (const project of nodes) {
      expect(project.builds.nodes.map((build) => build.id)).toEqual([...byName(project.name).buildIds].reverse().slice(0, 5));
    }
    expect(calls('ListProjects')).toHaveLength(1);
    expect(calls('ListBuildsForProject')).toHaveLength(20);
    expect(new Set(calls('ListBuildsForProject').map((call) => call.keys[0]))).toEqual(new Set(nodes.map((project) => project.name)));
    expect(calls('BatchGetBuilds')).toHaveLength(1);
    expect(calls('BatchGetBuilds')[0]!.keys).toHaveLength(100);
  });

  it('the same project asked twice in one request costs one list call', async () => {
    const response = await stack.query(
      `{ a: projectBuilds(projectName: "${SMALL}", first: 3) { nodes { id } } b: projectBuilds(projectName: "${SMALL}", first: 6) { nodes { id } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(calls('ListBuildsForProject')).toHaveLength(1);
    expect(calls('BatchGetBuilds')).toHaveLength(1);
  });
});

describe('recentBuilds', () => {
  it('pages every seeded build once, newest first, one ListBuilds and one BatchGetBuilds per page of 100', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (; pages < 20; pages++) {
      const response: { data?: { recentBuilds: Page<BuildNode> } | null; errors?: unknown } = await stack.query(
        `query($after: String) { recentBuilds(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      seen.push(...response.data!.recentBuilds.nodes.map((node) => node!.id));
      if (!response.data!.recentBuilds.pageInfo.hasNextPage) break;
      after = response.data!.recentBuilds.pageInfo.endCursor;
    }
    const wanted = [...stack.emulator.data.builds]
      .sort((a, b) => b.startTime!.getTime() - a.startTime!.getTime() || (a.id! < b.id! ? 1 : -1))
      .map((build) => build.id!);
    expect(seen).toEqual(wanted);
    expect(seen).toHaveLength(1344);
    expect(calls('ListBuilds')).toHaveLength(pages + 1);
    expect(calls('BatchGetBuilds')).toHaveLength(pages + 1);
  });

  it('refuses first: 101 with no call', async () => {
    const response = await stack.query(`{ recentBuilds(first: 101) { nodes { id } } }`);
    expect(response.errors).toMatchObject([{ path: ['recentBuilds'], extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(stack.emulator.calls.count('codebuild')).toBe(0);
  });
});

describe('the demo tab "Discover builds"', () => {
  it('runs without errors: 1 ListProjects, 5 ListBuildsForProject, 1 ListBuilds and one BatchGetBuilds for all 20 builds', async () => {
    const tab = codebuildExamples(stack.emulator.data.builds).tabs.find((example) => example.title.startsWith('Discover builds'))!;
    const response = await stack.query<{ codeBuildProjects: { nodes: Array<{ builds: { nodes: unknown[] } }> } }>(tab.query);
    expect(response.errors).toBeUndefined();
    expect(response.data!.codeBuildProjects.nodes.map((project) => project.builds.nodes.length)).toEqual([3, 3, 3, 3, 3]);
    expect(calls('ListProjects')).toHaveLength(1);
    expect(calls('ListBuildsForProject')).toHaveLength(5);
    expect(calls('ListBuilds')).toHaveLength(1);
    expect(calls('BatchGetBuilds').map((call) => call.keys.length)).toEqual([20]);
  });
});

describe('a failed list among siblings', () => {
  it("one project's failing ListBuildsForProject nulls only that project's builds, with its error at its path", async () => {
    const victim = 'billing-worker';
    stack.emulator.faults.set('codebuild', {
      down: true,
      when: (request) => request.body.includes(`"projectName":"${victim}"`),
    });
    const response = await stack.query<{ codeBuildProjects: { nodes: Array<{ name: string; builds: { nodes: unknown[] } | null }> } }>(
      `{ codeBuildProjects(first: 5) { nodes { name builds(first: 2) { nodes { id } } } } }`,
    );
    const nodes = response.data!.codeBuildProjects.nodes;
    const index = nodes.findIndex((project) => project.name === victim);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(nodes[index]!.builds).toBeNull();
    expect(nodes.filter((project) => project.name !== victim).every((project) => project.builds!.nodes.length === 2)).toBe(true);
    expect(response.errors).toMatchObject([
      { path: ['codeBuildProjects', 'nodes', index, 'builds'], extensions: { code: 'UPSTREAM_ERROR' } },
    ]);
    expect(calls('BatchGetBuilds')).toHaveLength(1);
  });
});

describe('metrics', () => {
  it('counts each list call once in subgraph_upstream_list_calls_total, by operation and outcome', async () => {
    const count = (text: string, operation: string, outcome: string) =>
      Number(
        new RegExp(
          `^subgraph_upstream_list_calls_total\\{api="codebuild",operation="${operation}",outcome="${outcome}"\\} (\\d+)$`,
          'm',
        ).exec(text)?.[1] ?? 0,
      );
    const before = await stack.scrapeMetrics();
    const response = await stack.query(
      `{ a: projectBuilds(projectName: "${SMALL}", first: 3) { nodes { id } } b: projectBuilds(projectName: "no-such-project") { nodes { id } } }`,
    );
    expect(response.data).toMatchObject({ a: { nodes: [{}, {}, {}] }, b: null });
    const after = await stack.scrapeMetrics();
    expect(count(after, 'ListBuildsForProject', 'ok') - count(before, 'ListBuildsForProject', 'ok')).toBe(1);
    expect(count(after, 'ListBuildsForProject', 'NOT_FOUND') - count(before, 'ListBuildsForProject', 'NOT_FOUND')).toBe(1);
  });
});
