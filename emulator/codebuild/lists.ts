import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Build } from '@aws-sdk/client-codebuild';
import { awsJson11Error } from '../core/aws-wire.js';
import type { EmulatorResponse } from '../core/route.js';
import { projectsOf, type SeededProject } from './data.js';

/**
 * CodeBuild's three list operations as the model (2016-10-06) defines them: no page-size parameter, "only the first
 * 100 items are returned, along with a unique string called a nextToken"; `nextToken` is opaque, and one the service
 * did not issue for this very list is refused with InvalidInputException (the only error ListProjects and ListBuilds
 * declare; ListBuildsForProject adds ResourceNotFoundException for an unknown project).
 */
export const LIST_PAGE_SIZE = 100;

const SORT_ORDERS = ['ASCENDING', 'DESCENDING'] as const;
const PROJECT_SORT_BY = ['NAME', 'CREATED_TIME', 'LAST_MODIFIED_TIME'] as const;
type SortOrder = (typeof SORT_ORDERS)[number];

// Tokens are signed so a forged or edited one is refused as the service refuses one it did not issue.
const TOKEN_KEY = 'codebuild-emulator-next-token';

export interface ListInput {
  sortBy?: unknown;
  sortOrder?: unknown;
  nextToken?: unknown;
  projectName?: unknown;
}

type Outcome = { ok: true; body: Record<string, unknown> } | { ok: false; response: EmulatorResponse };

const invalid = (message: string): Outcome => ({ ok: false, response: awsJson11Error('InvalidInputException', message) });
const validation = (value: unknown, member: string, constraint: string): Outcome =>
  invalid(
    `1 validation error detected: Value ${value === null ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );

function enumProblem<T extends string>(value: unknown, member: string, allowed: readonly T[]): Outcome | undefined {
  if (value === undefined || value === null) return undefined;
  return allowed.includes(value as T)
    ? undefined
    : validation(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

function sign(payload: string): string {
  return createHmac('sha256', TOKEN_KEY).update(payload).digest('base64url').slice(0, 22);
}

/** A token naming the list it belongs to (operation and every argument that orders it) and where the next page starts. */
function issueToken(list: string, offset: number): string {
  const payload = Buffer.from(JSON.stringify({ list, offset })).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

/** The offset a token of `list` names, or undefined for anything the emulator did not issue for it. */
function readToken(token: string, list: string, length: number): number | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { list?: unknown; offset?: unknown };
    const { offset } = parsed;
    if (parsed.list !== list || typeof offset !== 'number' || !Number.isInteger(offset) || offset <= 0 || offset >= length)
      return undefined;
    return offset;
  } catch {
    return undefined;
  }
}

/** One page of `items` from the token's offset, with the token of the next page when there is one. */
function page<T>(items: readonly T[], list: string, token: unknown, member: string): Outcome {
  let offset = 0;
  if (token !== undefined && token !== null) {
    const read = typeof token === 'string' ? readToken(token, list, items.length) : undefined;
    if (read === undefined) return invalid('Invalid next token provided.');
    offset = read;
  }
  const slice = items.slice(offset, offset + LIST_PAGE_SIZE);
  const next = offset + LIST_PAGE_SIZE < items.length ? issueToken(list, offset + LIST_PAGE_SIZE) : undefined;
  // The model's lists have a length of at least 1: an empty list is left out of the answer.
  return { ok: true, body: { ...(slice.length > 0 ? { [member]: slice } : {}), ...(next ? { nextToken: next } : {}) } };
}

const descending = (order: unknown): boolean => order !== 'ASCENDING';

export interface CodeBuildLists {
  listProjects(input: ListInput): Outcome;
  listBuildsForProject(input: ListInput): Outcome;
  listBuilds(input: ListInput): Outcome;
}

export function codebuildLists(builds: readonly Build[]): CodeBuildLists {
  const projects = projectsOf(builds);
  const byName = new Map<string, SeededProject>(projects.map((project) => [project.name, project]));
  const byNameOrder = [...projects].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byTime = (key: 'created' | 'lastModified') =>
    [...byNameOrder].sort((a, b) => a[key].getTime() - b[key].getTime()).map((project) => project.name);
  const projectOrders: Record<(typeof PROJECT_SORT_BY)[number], string[]> = {
    NAME: byNameOrder.map((project) => project.name),
    CREATED_TIME: byTime('created'),
    LAST_MODIFIED_TIME: byTime('lastModified'),
  };
  // ListBuilds: newest first by default (the order the console and CLI show); ties broken by id, so it is total.
  const buildsByStart = [...builds]
    .sort((a, b) => a.startTime!.getTime() - b.startTime!.getTime() || (a.id! < b.id! ? -1 : 1))
    .map((build) => build.id!);
  const reversed = <T>(items: readonly T[], flip: boolean): readonly T[] => (flip ? [...items].reverse() : items);
  const buildsNewestFirst = reversed(buildsByStart, true);

  return {
    listProjects(input) {
      const problem =
        enumProblem(input.sortBy, 'sortBy', PROJECT_SORT_BY) ??
        enumProblem(input.sortOrder, 'sortOrder', SORT_ORDERS) ??
        (input.nextToken === '' ? validation('', 'nextToken', 'Member must have length greater than or equal to 1') : undefined);
      if (problem) return problem;
      // Without sortBy/sortOrder the emulator lists by name, ascending (the model states no default).
      const sortBy = (input.sortBy ?? 'NAME') as (typeof PROJECT_SORT_BY)[number];
      const sortOrder = (input.sortOrder ?? 'ASCENDING') as SortOrder;
      const names = reversed(projectOrders[sortBy], sortOrder === 'DESCENDING');
      return page(names, `ListProjects|${sortBy}|${sortOrder}`, input.nextToken, 'projects');
    },
    listBuildsForProject(input) {
      const name = input.projectName;
      if (name === undefined || name === null) return validation(null, 'projectName', 'Member must not be null');
      if (typeof name !== 'string' || name === '')
        return validation(name, 'projectName', 'Member must have length greater than or equal to 1');
      const problem = enumProblem(input.sortOrder, 'sortOrder', SORT_ORDERS);
      if (problem) return problem;
      const project = byName.get(name);
      if (!project) {
        return { ok: false, response: awsJson11Error('ResourceNotFoundException', `The provided project name ${name} does not exist.`) };
      }
      // The model: "If the project has more than 100 builds, setting the sort order will result in an error."
      if (input.sortOrder !== undefined && input.sortOrder !== null && project.buildIds.length > LIST_PAGE_SIZE) {
        return invalid(`sortOrder cannot be set for project ${name}: it has more than ${LIST_PAGE_SIZE} builds.`);
      }
      // By build number; descending (the latest build first) unless told otherwise, as the model documents.
      const flip = descending(input.sortOrder);
      return page(reversed(project.buildIds, flip), `ListBuildsForProject|${name}|${flip ? 'D' : 'A'}`, input.nextToken, 'ids');
    },
    listBuilds(input) {
      const problem = enumProblem(input.sortOrder, 'sortOrder', SORT_ORDERS);
      if (problem) return problem;
      const flip = descending(input.sortOrder);
      return page(flip ? buildsNewestFirst : buildsByStart, `ListBuilds|${flip ? 'D' : 'A'}`, input.nextToken, 'ids');
    },
  };
}
