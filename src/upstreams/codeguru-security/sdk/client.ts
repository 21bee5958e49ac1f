/**
 * A small client for Amazon CodeGuru Security `BatchGetFindings`, built on the AWS SDK's own
 * building blocks because `@aws-sdk/client-codeguru-security` is no longer published. It is
 * shaped like the generated client (`new CodeGuruSecurityClient(config).send(new
 * BatchGetFindingsCommand(input), { abortSignal })`, same type and error names), so a
 * generated client can replace it by changing one import.
 *
 * It behaves like one: restJson1 (`POST /batchGetFindings`, JSON), SigV4 (`codeguru-security`),
 * the default credential chain, endpoint resolution by the SDK's own code (serviceId
 * "CodeGuru Security": AWS_ENDPOINT_URL_CODEGURU_SECURITY, AWS_ENDPOINT_URL, shared config,
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), the retry strategy a generated client resolves
 * (standard by default, adaptive by retryMode, or an explicit retryStrategy) driven like the
 * SDK's retry middleware with its error classification, and a per-attempt timeout.
 */
import { randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { loadConfig } from '@smithy/core/config';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { getRetryAfterHint, NODE_MAX_ATTEMPT_CONFIG_OPTIONS, NODE_RETRY_MODE_CONFIG_OPTIONS, resolveRetryConfig } from '@smithy/core/retry';
import { parseEpochTimestamp } from '@smithy/core/serde';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpRequest, type HttpResponse } from '@smithy/protocol-http';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  NodeHttpHandlerOptions,
  RetryErrorInfo,
  RetryErrorType,
  RetryStrategyV2,
  SdkError,
} from '@smithy/types';
import { CodeGuruSecurityServiceException, errorFromResponse } from './errors.js';

export * from './errors.js';

// ---- Model types (codeguru-security 2018-05-10), member names as on the wire ----------------

export type Severity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info';
export type Status = 'Closed' | 'Open' | 'All';
export type ErrorCode = 'DUPLICATE_IDENTIFIER' | 'ITEM_DOES_NOT_EXIST' | 'INTERNAL_ERROR' | 'INVALID_FINDING_ID' | 'INVALID_SCAN_NAME';

export interface CodeLine {
  number?: number;
  content?: string;
}
export interface FilePath {
  name?: string;
  path?: string;
  startLine?: number;
  endLine?: number;
  codeSnippet?: CodeLine[];
}
export interface Vulnerability {
  referenceUrls?: string[];
  relatedVulnerabilities?: string[];
  id?: string;
  filePath?: FilePath;
  /** @deprecated "This shape is not used." (model) */
  itemCount?: number;
}
export interface Resource {
  id?: string;
  subResourceId?: string;
}
export interface Recommendation {
  text?: string;
  url?: string;
}
export interface SuggestedFix {
  description?: string;
  code?: string;
}
export interface Remediation {
  recommendation?: Recommendation;
  suggestedFixes?: SuggestedFix[];
}
export interface Finding {
  createdAt?: Date;
  description?: string;
  generatorId?: string;
  id?: string;
  updatedAt?: Date;
  type?: string;
  status?: Status;
  resource?: Resource;
  vulnerability?: Vulnerability;
  severity?: Severity;
  remediation?: Remediation;
  title?: string;
  detectorTags?: string[];
  detectorId?: string;
  detectorName?: string;
  ruleId?: string;
}
export interface FindingIdentifier {
  scanName: string;
  findingId: string;
}
export interface BatchGetFindingsError {
  scanName: string;
  findingId: string;
  errorCode: ErrorCode;
  message: string;
}
export interface BatchGetFindingsCommandInput {
  findingIdentifiers: FindingIdentifier[];
}
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}
export interface BatchGetFindingsCommandOutput {
  findings: Finding[];
  failedFindings: BatchGetFindingsError[];
  $metadata: ResponseMetadata;
}

export class BatchGetFindingsCommand {
  constructor(readonly input: BatchGetFindingsCommandInput) {}
}

// ---- Client -------------------------------------------------------------------------------

/**
 * The generated client's option names, so `sdkClientOptions(aws)` configures this client as it
 * configures the official ones. Unset values come from the environment and shared config
 * (AWS_MAX_ATTEMPTS / max_attempts, AWS_RETRY_MODE / retry_mode), as in a generated client.
 */
export interface CodeGuruSecurityClientConfig {
  region: string;
  /** An explicit endpoint beats every configured one, as in generated clients. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts?: number;
  retryMode?: string;
  /** Replaces the strategy `retryMode` would pick (e.g. a ConfiguredRetryStrategy in tests). */
  retryStrategy?: RetryStrategyV2;
  /** A handler (anything with the SDK's `handle`), or NodeHttpHandler's options. */
  requestHandler?: RequestHandler | NodeHttpHandlerOptions;
}

/** What the client needs of an HTTP handler: the SDK's HttpHandler contract. */
export interface RequestHandler {
  handle(request: HttpRequest, options?: { abortSignal?: AbortSignal }): Promise<{ response: HttpResponse }>;
  destroy?(): void;
}

const SERVICE_ID = 'CodeGuru Security';
const SIGNING_NAME = 'codeguru-security';

export class CodeGuruSecurityClient {
  readonly config: Readonly<CodeGuruSecurityClientConfig>;
  private readonly signer: SignatureV4;
  private readonly handler: RequestHandler;
  private readonly retry: { maxAttempts: () => Promise<number>; retryStrategy: () => Promise<RetryStrategyV2> };
  private endpoint: Promise<URL> | undefined;

  constructor(config: CodeGuruSecurityClientConfig) {
    this.config = config;
    this.signer = new SignatureV4({
      // The default chain is memoized by the provider itself; created once per client.
      credentials: config.credentials ?? defaultProvider(),
      region: config.region,
      service: SIGNING_NAME,
      sha256: Sha256,
    });
    const given = config.requestHandler;
    this.handler = given && typeof (given as RequestHandler).handle === 'function' ? (given as RequestHandler) : NodeHttpHandler.create(given as NodeHttpHandlerOptions | undefined);
    // The generated clients' own resolution: an explicit strategy, else standard or adaptive.
    this.retry = resolveRetryConfig({
      maxAttempts: config.maxAttempts ?? loadConfig(NODE_MAX_ATTEMPT_CONFIG_OPTIONS),
      retryMode: config.retryMode ?? loadConfig(NODE_RETRY_MODE_CONFIG_OPTIONS),
      retryStrategy: config.retryStrategy,
    }) as unknown as CodeGuruSecurityClient['retry'];
  }

  /** The endpoint, resolved once (like generated clients, on first use) by the SDK's own rules. */
  resolveEndpoint(): Promise<URL> {
    this.endpoint ??= resolveCodeGuruSecurityEndpoint(this.config);
    return this.endpoint;
  }

  /**
   * One operation with retries, as the SDK's retry middleware runs it: the strategy decides
   * and waits; an abort stops the wait and is never retried; each attempt is signed afresh.
   */
  async send(command: BatchGetFindingsCommand, options: { abortSignal?: AbortSignal } = {}): Promise<BatchGetFindingsCommandOutput> {
    const { abortSignal } = options;
    const endpoint = await this.resolveEndpoint();
    const strategy = await this.retry.retryStrategy();
    const maxAttempts = await this.retry.maxAttempts();
    const body = JSON.stringify(command.input);
    const invocationId = randomUUID();
    let token = await race(strategy.acquireInitialRetryToken(SERVICE_ID), abortSignal);
    let attempts = 0;
    let totalRetryDelay = 0;
    for (;;) {
      try {
        const output = await this.attempt(endpoint, body, abortSignal, {
          'amz-sdk-invocation-id': invocationId,
          'amz-sdk-request': `attempt=${attempts + 1}; max=${maxAttempts}`,
        });
        strategy.recordSuccess(token);
        output.$metadata.attempts = attempts + 1;
        output.$metadata.totalRetryDelay = totalRetryDelay;
        return output;
      } catch (error) {
        if (abortSignal?.aborted) throw error;
        const info: RetryErrorInfo = { errorType: classify(error), error: error as SdkError };
        const hint = error instanceof CodeGuruSecurityServiceException && error.$response ? getRetryAfterHint(error.$response) : undefined;
        if (hint) info.retryAfterHint = hint;
        try {
          token = await race(strategy.refreshRetryTokenForRetry(token, info), abortSignal);
        } catch (refusal) {
          if (abortSignal?.aborted) throw refusal;
          // Not retryable, attempts exhausted or retry quota spent: the last error stands.
          annotate(error, attempts + 1, totalRetryDelay);
          throw error;
        }
        attempts = token.getRetryCount();
        // The strategy may have waited already (acquisitionDelay) or leave the wait to us.
        const delay = token.getRetryDelay();
        totalRetryDelay += ((token as { $retryLog?: { acquisitionDelay?: number } }).$retryLog?.acquisitionDelay ?? 0) + delay;
        if (delay > 0) await race(new Promise((resolve) => setTimeout(resolve, delay)), abortSignal);
      }
    }
  }

  destroy(): void {
    this.handler.destroy?.();
  }

  private async attempt(endpoint: URL, body: string, abortSignal: AbortSignal | undefined, extraHeaders: Record<string, string>): Promise<BatchGetFindingsCommandOutput> {
    // An endpoint URL may carry a path prefix (e.g. behind a proxy): the operation path goes under it.
    const basePath = endpoint.pathname.replace(/\/+$/, '');
    const request = new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: `${basePath}/batchGetFindings`,
      headers: {
        host: endpoint.host,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...extraHeaders,
      },
      body,
    });
    const signed = await this.signer.sign(request);
    const { response } = await this.handler.handle(signed as HttpRequest, { abortSignal });
    const text = await readBody(response);
    if (response.statusCode < 200 || response.statusCode >= 300) throw errorFromResponse(response.statusCode, response.headers, text);
    const parsed = JSON.parse(text) as { findings?: Array<Record<string, unknown>>; failedFindings?: BatchGetFindingsError[] };
    return {
      findings: (parsed.findings ?? []).map(deserializeFinding),
      failedFindings: parsed.failedFindings ?? [],
      $metadata: { httpStatusCode: response.statusCode, requestId: header(response, 'x-amzn-requestid') },
    };
  }
}

/**
 * The endpoint a generated client would use: explicit `endpoint`, else (unless ignored)
 * AWS_ENDPOINT_URL_CODEGURU_SECURITY, AWS_ENDPOINT_URL, the shared config's `services`
 * section or profile `endpoint_url`, else the regional endpoint. Delegates to the SDK's
 * resolution code rather than re-implementing its precedence.
 */
export async function resolveCodeGuruSecurityEndpoint(config: Pick<CodeGuruSecurityClientConfig, 'region' | 'endpoint'>): Promise<URL> {
  const explicit = config.endpoint;
  const clientConfig = {
    serviceId: SERVICE_ID,
    isCustomEndpoint: explicit !== undefined,
    endpoint: explicit === undefined ? undefined : async () => toEndpointV1(explicit),
    region: async () => config.region,
    endpointProvider: (params: { Endpoint?: string; Region?: string }) => ({
      url: new URL(params.Endpoint ?? `https://codeguru-security.${params.Region}.amazonaws.com`),
    }),
  };
  const instructions = {
    getEndpointParameterInstructions: () => ({
      Endpoint: { type: 'builtInParams', name: 'endpoint' },
      Region: { type: 'builtInParams', name: 'region' },
    }),
  };
  const endpoint = await getEndpointFromInstructions({}, instructions as never, clientConfig as never);
  return new URL(endpoint.url.href);
}

function toEndpointV1(url: string) {
  const parsed = new URL(url);
  return { protocol: parsed.protocol, hostname: parsed.hostname, port: parsed.port ? Number(parsed.port) : undefined, path: parsed.pathname };
}

/** The SDK's own classification, so throttling and transient errors retry exactly as there. */
function classify(error: unknown): RetryErrorType {
  const e = error as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(e)) return 'THROTTLING';
  if (isTransientError(e)) return 'TRANSIENT';
  if (isServerError(e)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

function annotate(error: unknown, attempts: number, totalRetryDelay: number): void {
  if (error && typeof error === 'object') {
    const e = error as { $metadata?: ResponseMetadata };
    e.$metadata = { ...(e.$metadata ?? {}), attempts, totalRetryDelay };
  }
}

function deserializeFinding(raw: Record<string, unknown>): Finding {
  // Timestamps are epoch seconds on the wire (restJson1 default), possibly fractional.
  const finding = { ...raw } as Record<string, unknown>;
  for (const member of ['createdAt', 'updatedAt'] as const) {
    const value = raw[member];
    if (value !== undefined && value !== null) finding[member] = parseEpochTimestamp(value);
  }
  return finding as Finding;
}

function header(response: HttpResponse, name: string): string | undefined {
  for (const [key, value] of Object.entries(response.headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

async function readBody(response: HttpResponse): Promise<string> {
  const body = response.body as AsyncIterable<Uint8Array> | undefined;
  if (!body) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Rejects with an AbortError when the signal aborts first, like the SDK's own `race`. */
function race<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  let cleanup = () => {};
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    cleanup = () => signal.removeEventListener('abort', onAbort);
  });
  return Promise.race([promise, aborted]).finally(cleanup);
}
