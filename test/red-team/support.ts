import type { GraphQLResponse, Stack } from '../../testkit/stack.js';

export interface RawResponse<T = Record<string, unknown>> {
  status: number;
  /** The body as sent, to measure it. */
  text: string;
  body: GraphQLResponse<T>;
}

/** A raw POST of any JSON body (not only what a well-behaved client would send). */
export async function post<T = Record<string, unknown>>(
  stack: Stack,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse<T>> {
  const response = await fetch(`${stack.subgraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: GraphQLResponse<T>;
  try {
    parsed = JSON.parse(text) as GraphQLResponse<T>;
  } catch {
    parsed = {};
  }
  return { status: response.status, text, body: parsed };
}

export const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  __typename
  ... on Build { id }
  ... on Finding { scanName id }
  ... on FindingDetail { findingArn }
  ... on Scan { id }
} }`;

/** Valid keys of every entity, from the emulator's seed. */
export function validRepresentations(stack: Stack) {
  const { builds, findings, inspector, scans } = stack.emulator.data;
  return {
    build: { __typename: 'Build', id: builds[0]!.id! },
    build2: { __typename: 'Build', id: builds[1]!.id! },
    finding: { __typename: 'Finding', scanName: findings[0]!.scanName, id: findings[0]!.finding.id! },
    detail: { __typename: 'FindingDetail', findingArn: inspector.details[0]!.findingArn! },
    scan: { __typename: 'Scan', id: String(scans[0]!.id) },
  };
}

/** Each error's code by its `_entities` index (or other root path), for exact comparison. */
export function codesByIndex(response: GraphQLResponse): Record<string, unknown> {
  return Object.fromEntries((response.errors ?? []).map((error) => [error.path?.slice(1).join('.') ?? '-', error.extensions?.code]));
}

/** Counts unhandled rejections in this test process (the subgraph runs in it). */
export function countUnhandledRejections(): { readonly count: number; stop(): void } {
  let count = 0;
  const listener = () => {
    count += 1;
  };
  process.on('unhandledRejection', listener);
  return {
    get count() {
      return count;
    },
    stop: () => process.off('unhandledRejection', listener),
  };
}
