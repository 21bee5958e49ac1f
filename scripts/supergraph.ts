/**
 * `npm run supergraph [-- name=path/to/subgraph.graphql ...]`: composes this subgraph's SDL
 * (as `_service { sdl }` serves it) with other subgraphs - by default the small companion
 * subgraph the tests use - and prints the supergraph SDL, or the composition errors (exit 1).
 * Rover cannot be installed here; this uses the same composition library in-process.
 * AUTHORIZATION_DIRECTIVES=strip composes the variant for gateways without authorization support.
 * `--composer=guild` composes with The Guild's @theguild/federation-composition (what Hive uses)
 * instead of Apollo's @apollo/composition: a platform team may run either.
 */
import { readFileSync } from 'node:fs';
import { composeServices as apolloCompose } from '@apollo/composition';
import { composeServices as guildCompose } from '@theguild/federation-composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createLogger } from '../src/logger.js';
import { buildSchema } from '../src/schema.js';
import { COMPANION_SDL } from '../testkit/companion-subgraph.js';

const strip = process.env.AUTHORIZATION_DIRECTIVES === 'strip';
const ours = printSubgraphSchema(buildSchema(createLogger('silent'), { authorizationDirectives: strip ? 'strip' : 'keep' }));
const COMPOSER = '--composer=';
const composerArgument = process.argv.slice(2).find((argument) => argument.startsWith(COMPOSER));
const composer = composerArgument?.slice(COMPOSER.length) ?? 'apollo';
if (composer !== 'apollo' && composer !== 'guild') throw new Error(`--composer is apollo or guild, got "${composer}"`);
const others = process.argv
  .slice(2)
  .filter((argument) => argument !== composerArgument)
  .map((argument) => {
    const [name, path] = argument.split('=');
    if (!name || !path) throw new Error(`expected name=path/to/schema.graphql, got "${argument}"`);
    return { name, typeDefs: parse(readFileSync(path, 'utf8')), url: `http://${name}.invalid/graphql` };
  });
const result = (composer === 'guild' ? guildCompose : apolloCompose)([
  { name: 'appsec', typeDefs: parse(ours), url: process.env.SUBGRAPH_URL ?? 'http://localhost:4001/graphql' },
  ...(others.length > 0 ? others : [{ name: 'releases', typeDefs: parse(COMPANION_SDL), url: 'http://releases.invalid/graphql' }]),
]);
if (result.errors) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
console.log(result.supergraphSdl);
