import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export interface SubgraphSource {
  name: string;
  sdl: string;
  url: string;
}

/**
 * The supergraph as The Guild's composition writes it (what Hive's schema registry would serve),
 * not Apollo's: a platform team running Hive Gateway composes with it.
 */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const composed = composeServices(subgraphs.map(({ name, sdl, url }) => ({ name, typeDefs: parse(sdl), url })));
  if (composed.errors) throw new Error(`composition failed:\n${composed.errors.map((error) => error.message).join('\n')}`);
  return composed.supergraphSdl;
}
