/**
 * What the OpenTelemetry SDK's diagnostics become in the process log. An export failure is an
 * operational warning (the collector is down or refuses us), not a bug: one short line, no stack,
 * no response body, no header value, and a collector that stays down must not grow the log without
 * bound.
 */

const MAX_LINE_CHARS = 300;

/**
 * One line out of a diagnostic. The SDK's error handler hands over `JSON.stringify` of the whole
 * exception (stack, errno, syscall, an OTLP error's response `data`…): only its message and, when
 * present, its code or a name other than plain "Error" are kept. Any configured secret (a header
 * value) that still appears is replaced.
 */
export function diagnosticLine(message: unknown, secrets: readonly string[] = []): string {
  let line = typeof message === 'string' ? flattenedException(message) : String(message);
  line = line.split('\n', 1)[0]!.trim();
  for (const secret of secrets) if (secret.length > 0) line = line.split(secret).join('[redacted]');
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}

function flattenedException(text: string): string {
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed !== 'object' || parsed === null) return text;
  const { message, code, name } = parsed as Record<string, unknown>;
  if (typeof message !== 'string') return text.split('\n', 1)[0]!;
  const tag =
    typeof code === 'string' || typeof code === 'number' ? String(code) : typeof name === 'string' && name !== 'Error' ? name : '';
  return tag && !message.includes(tag) ? `${message} (${tag})` : message;
}

/**
 * At most one line per interval; what falls inside it is counted, and the count rides on the next
 * line let through. Bounded state (one timestamp, one counter), whatever the messages.
 */
export class RepeatLimiter {
  private nextAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `undefined`: drop this line; otherwise log it, with how many were dropped since the last one. */
  admit(): { suppressed: number } | undefined {
    const now = this.now();
    if (now < this.nextAt) {
      this.suppressed += 1;
      return undefined;
    }
    this.nextAt = now + this.intervalMs;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return { suppressed };
  }
}
