/**
 * The request-target as the raw bytes a client sent (req.url), parsed without ever throwing.
 * `new URL(req.url, base)` throws on `//a:99999` (read as a scheme-relative URL with a bad port)
 * and takes `//host/path` for another host; here only origin-form (`/path?query`) and
 * absolute-form with an http(s) scheme (RFC 9112 §3.2) are accepted, anything else is a 400.
 */
export interface RequestTarget {
  pathname: string;
  /** `?…` exactly as sent (empty string when there is none): handed to Apollo unchanged. */
  search: string;
  /** Whether the target carried a `?` at all, even with nothing after it. */
  hasQuery: boolean;
}

/** Visible ASCII only (Node's parser already refuses controls and spaces; non-ASCII is refused here). */
const TARGET_CHARS = /^[\x21-\x7e]*$/;
/** Every `%` must start a two-digit hex escape. */
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const MAX_TARGET_LENGTH = 16 * 1024;

export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  if (raw === undefined || raw.length === 0 || raw.length > MAX_TARGET_LENGTH) return undefined;
  if (!TARGET_CHARS.test(raw) || BAD_ESCAPE.test(raw)) return undefined;
  let target = raw;
  if (!raw.startsWith('/')) {
    // Absolute-form: keep only its path and query; the host is not ours to route on.
    if (!/^https?:\/\//i.test(raw)) return undefined;
    const parsed = safeUrl(raw);
    if (!parsed) return undefined;
    target = `${parsed.pathname}${parsed.search}`;
  }
  // `//x` is a valid but ambiguous path that URL parsers read as another authority: refused.
  if (target.startsWith('//')) return undefined;
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const search = queryAt === -1 ? '' : target.slice(queryAt);
  // Resolved against a fixed origin only to normalise dot segments and escapes of the path.
  const parsed = safeUrl(`http://localhost${rawPath}`);
  if (!parsed || parsed.host !== 'localhost') return undefined;
  return { pathname: parsed.pathname, search: search === '?' ? '' : search, hasQuery: queryAt !== -1 };
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
