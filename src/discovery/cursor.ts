/**
 * Page cursors: the upstream's own continuation (a `nextToken` or a page number) and an offset
 * into that upstream page, bound by an HMAC to the list and arguments that gave it out.
 *
 * Why signed: a cursor is the one argument a client cannot validate against a pattern, and it
 * becomes an upstream call. Unsigned, a made-up token would cost a call before the upstream
 * refused it; signed, anything this process (or a replica sharing its key) did not issue is
 * refused before any call, and a cursor of one list cannot be replayed on another.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badUserInput, type UpstreamIdentity } from '../errors.js';
import type { Continuation } from './page.js';

/** Where the next item is: the continuation that fetches its upstream page (undefined = the first page) and its index there. */
export interface CursorPosition {
  token: Continuation | undefined;
  offset: number;
}

/** A cursor longer than this is refused unread: real continuations are a few hundred characters. */
export const MAX_CURSOR_LENGTH = 8192;
/** The largest upstream page (GetFindings' maxResults is 1..1000): an offset past it cannot be ours. */
const MAX_OFFSET = 1000;
const MAC_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const VERSION = 'v1';

export class CursorCodec {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 16) throw new Error('A cursor key needs at least 16 bytes.');
    this.#key = key;
  }

  encode(scope: string, position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify([position.token ?? null, position.offset])).toString('base64url');
    return `${payload}.${this.#mac(scope, payload).toString('base64url')}`;
  }

  /** The position a cursor names, or a BAD_USER_INPUT error when this list did not give it out. */
  decode(scope: string, cursor: string, upstream?: UpstreamIdentity): CursorPosition {
    const refused = () =>
      badUserInput(
        '`after` is not a cursor this field gave out (a cursor is valid only on the field and arguments that returned it).',
        upstream,
      );
    if (cursor.length > MAX_CURSOR_LENGTH) throw refused();
    const dot = cursor.indexOf('.');
    if (dot <= 0) throw refused();
    const payload = cursor.slice(0, dot);
    const given = cursor.slice(dot + 1);
    // Node's base64url decoder skips characters outside the alphabet and ignores spare bits, so
    // one cursor would have many spellings: only the exact one this codec writes is accepted.
    if (!BASE64URL.test(payload) || !BASE64URL.test(given)) throw refused();
    const mac = Buffer.from(given, 'base64url');
    const expected = this.#mac(scope, payload);
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected) || mac.toString('base64url') !== given) throw refused();
    // Signed by us, so well formed; checked anyway, because a key may be shared with an older replica.
    let decoded: unknown;
    try {
      const bytes = Buffer.from(payload, 'base64url');
      if (bytes.toString('base64url') !== payload) throw refused();
      decoded = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw refused();
    }
    if (!Array.isArray(decoded) || decoded.length !== 2) throw refused();
    const [token, offset] = decoded as [unknown, unknown];
    const tokenOk = token === null || typeof token === 'string' || (typeof token === 'number' && Number.isSafeInteger(token) && token >= 1);
    if (!tokenOk || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset > MAX_OFFSET) throw refused();
    return { token: token === null ? undefined : (token as Continuation), offset };
  }

  #mac(scope: string, payload: string): Buffer {
    return createHmac('sha256', this.#key).update(`${VERSION}\0${scope}\0${payload}`).digest().subarray(0, MAC_BYTES);
  }
}

/**
 * The process's cursor key: CURSOR_SECRET when set; else derived from ROUTER_SECRET (replicas
 * behind one router share it, so a cursor from one replica works on the next; the derivation
 * is one-way, so a cursor reveals nothing of the secret); else random per process, which is
 * right for one process and means a replica refuses its siblings' cursors.
 */
export function cursorCodec(secrets: { cursorSecret?: string | undefined; routerSecret?: string | undefined }): CursorCodec {
  if (secrets.cursorSecret !== undefined)
    return new CursorCodec(createHmac('sha256', 'appsec-ci-subgraph cursor key').update(secrets.cursorSecret).digest());
  if (secrets.routerSecret !== undefined) {
    return new CursorCodec(createHmac('sha256', 'appsec-ci-subgraph cursor key from router secret').update(secrets.routerSecret).digest());
  }
  return new CursorCodec(randomBytes(32));
}
