import { Agent, request } from 'node:http';
import type { GraphQLResponse } from './stack.js';

export interface BurstRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * Concurrent GraphQL requests as a router sends them: over connections already open (a router
 * keeps its pool warm), every request written in the same turn of the event loop. `fetch`
 * opens connections as it goes, which spreads one burst over many milliseconds and tests the
 * TCP handshake rather than the subgraph; this client is what a cross-request window sees in
 * production.
 */
export class BurstClient {
  readonly #agent: Agent;
  readonly #url: URL;

  constructor(
    url: string,
    readonly connections: number,
  ) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** Opens every connection (a burst of trivial requests), so the next burst finds them open. */
  async warm(): Promise<void> {
    await this.burst(Array.from({ length: this.connections }, () => ({ query: '{ __typename }' })));
  }

  /** Sends every request at once (each with its own headers, if any) and answers their responses in order. */
  burst<T = Record<string, unknown>>(requests: readonly BurstRequest[]): Promise<Array<GraphQLResponse<T>>> {
    return Promise.all(requests.map(({ headers = {}, ...body }) => this.#post<T>(JSON.stringify(body), headers)));
  }

  #post<T>(body: string, headers: Record<string, string>): Promise<GraphQLResponse<T>> {
    return new Promise((resolve, reject) => {
      const req = request(
        this.#url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLResponse<T>);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
