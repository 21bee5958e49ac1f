import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestTarget } from './request-target.js';

/**
 * Whether the request carries `router-authorization: <secret>`. Both sides are hashed first so
 * the comparison is constant-time and takes the same time whatever length was offered.
 */
export function routerAuthorized(req: IncomingMessage, secret: string): boolean {
  const offered = req.headers['router-authorization'];
  if (typeof offered !== 'string') return false;
  return timingSafeEqual(digest(offered), digest(secret));
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The one request an unauthenticated caller may make to /graphql when ROUTER_SECRET is set: a
 * browser fetching the GraphiQL shell. Conservative on purpose: any `?` at all (whatever it
 * spells, `%71uery=` included) or any body means it might carry an operation, so it is not
 * the landing page and needs the secret.
 */
export function isLandingPageRequest(req: IncomingMessage, target: RequestTarget): boolean {
  if (req.method !== 'GET' || target.hasQuery) return false;
  if (req.headers['transfer-encoding'] !== undefined) return false;
  const length = req.headers['content-length'];
  if (length !== undefined && length !== '0') return false;
  return acceptsHtml(req.headers.accept);
}

/** Accept lists text/html with a non-zero quality. */
function acceptsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    if (type?.trim() !== 'text/html') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
