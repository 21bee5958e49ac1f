/**
 * `npm run supergraph [-- name=path/to/subgraph.graphql ...]`: composes this subgraph's SDL
 * (as `_service { sdl }` serves it) with other subgraphs - by default the small companion
 * subgraph the tests use - and prints the supergraph SDL, or the composition errors (exit 1).
 * Rover cannot be installed here; this uses the same composition library in-process.
 * AUTHORIZATION_DIRECTIVES=strip composes the variant for gateways without authorization support;
 * SUBGRAPH_URL (default http://localhost:4001/graphql) is this subgraph's routing URL in the output.
 * `--composer=guild` composes with The Guild's @theguild/federation-composition (what Hive uses)
 * instead of Apollo's @apollo/composition: a platform team may run either.
 */
import { readFileSync } from 'node:fs';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { ConfigError, httpUrl } from '../src/config/env.js';

const OURS = 'appsec';
// A subgraph name becomes a join__Graph enum value: letters, digits, `_` and `-` only.
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** A mistake in what the caller passed: printed as one line, never as a stack trace. */
class UsageError extends Error {}

/** The file's SDL parsed; the reason it cannot be read or parsed as one line otherwise. */
function readSdl(name: string, path: string): DocumentNode {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : (error as Error).message;
    throw new UsageError(`${name}=${path}: ${reason}`);
  }
  try {
    return parse(text);
  } catch (error) {
    // GraphQLError's message is one line; its location says where in the file.
    if (!(error instanceof GraphQLError)) throw error;
    const at = error.locations?.[0];
    throw new UsageError(`${name}=${path}: ${error.message}${at ? ` (line ${at.line}, column ${at.column})` : ''}`);
  }
}

function otherSubgraphs(argumentsGiven: string[]): { name: string; typeDefs: DocumentNode; url: string }[] {
  const seen = new Set([OURS]);
  return argumentsGiven.map((argument) => {
    // Split at the first `=` only: a path may itself contain one.
    const at = argument.indexOf('=');
    const name = at < 0 ? '' : argument.slice(0, at);
    const path = at < 0 ? '' : argument.slice(at + 1);
    if (!NAME.test(name) || path === '')
      throw new UsageError(`expected name=path/to/schema.graphql (name: a letter, then letters, digits, _ or -), got "${argument}"`);
    if (seen.has(name)) throw new UsageError(`subgraph name "${name}" is used twice${name === OURS ? ' (it is this subgraph)' : ''}`);
    seen.add(name);
    return { name, typeDefs: readSdl(name, path), url: `http://${name}.invalid/graphql` };
  });
}

function subgraphUrl(value: string): string {
  try {
    return httpUrl(value, 'SUBGRAPH_URL');
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const strip = process.env.AUTHORIZATION_DIRECTIVES === 'strip';
  const COMPOSER = '--composer=';
  const given = process.argv.slice(2);
  const composerArgument = given.find((argument) => argument.startsWith(COMPOSER));
  const composer = composerArgument?.slice(COMPOSER.length) ?? 'apollo';
  if (composer !== 'apollo' && composer !== 'guild') throw new UsageError(`--composer is apollo or guild, got "${composer}"`);
  const others = otherSubgraphs(given.filter((argument) => argument !== composerArgument));
  // The routing URL written into the supergraph: the product's URL check, so a typo is caught here, not by the router.
  const ourUrl = subgraphUrl(process.env.SUBGRAPH_URL?.trim() || 'http://localhost:4001/graphql');
  // Loaded after the arguments are checked: the product and composition take seconds to import,
  // and a mistyped argument should be answered at once.
  const [apollo, guild, { printSubgraphSchema }, { createLogger }, { buildSchema }, { COMPANION_SDL }] = await Promise.all([
    import('@apollo/composition'),
    import('@theguild/federation-composition'),
    import('@apollo/subgraph'),
    import('../src/logger.js'),
    import('../src/schema.js'),
    import('../testkit/companion-subgraph.js'),
  ]);
  const ours = printSubgraphSchema(buildSchema(createLogger('silent'), { authorizationDirectives: strip ? 'strip' : 'keep' }));
  const composeServices = composer === 'guild' ? guild.composeServices : apollo.composeServices;
  const result = composeServices([
    { name: OURS, typeDefs: parse(ours), url: ourUrl },
    ...(others.length > 0 ? others : [{ name: 'releases', typeDefs: parse(COMPANION_SDL), url: 'http://releases.invalid/graphql' }]),
  ]);
  if (result.errors) {
    for (const error of result.errors) console.error(`composition error: ${error.message}`);
    process.exit(1);
  }
  console.log(result.supergraphSdl);
}

try {
  await main();
} catch (error) {
  // Anything else is a bug in this script or the product: let it show its stack.
  if (!(error instanceof UsageError)) throw error;
  console.error(`supergraph: ${error.message}`);
  process.exit(1);
}
