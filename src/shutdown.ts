import type { Logger } from 'pino';
import type { SubgraphServer } from './subgraph.js';

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then exit 0. */
export function installShutdown(subgraph: SubgraphServer, logger: Logger, onStopped: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining in-flight requests, then exiting');
    subgraph
      .stop()
      .then(onStopped)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
