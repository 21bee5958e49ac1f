import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR } from '../src/observability/tracing.js';
import { useStack } from '../testkit/use-stack.js';

// This file's own provider, handed to the server: nothing leaks into other test files.
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const stack = useStack({ tracer: provider.getTracer('discovery-advalidation-tracing'), env: { ADVALIDATION_SETTLED_CACHE_SIZE: '0' } });
afterAll(() => provider.shutdown());
beforeEach(() => exporter.reset());

async function finishedSpans(): Promise<ReadableSpan[]> {
  await vi.waitFor(() => expect(exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER)).toHaveLength(1));
  return exporter.getFinishedSpans();
}

describe('list calls in the trace', () => {
  it('each page is a list span of the request with the GET as its CLIENT child, named by route, no ids', async () => {
    const campaignId = String(stack.emulator.controls.advalidation.catalog.campaigns[0]!.id);
    const response = await stack.query(
      `{ advalidationCampaigns(first: 1) { nodes { id } } advalidationCampaignCreatives(campaignId: "${campaignId}", first: 30) { nodes { id } } }`,
    );
    expect(response.errors).toBeUndefined();
    const spans = await finishedSpans();
    const clients = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(clients.map((span) => span.name).sort()).toEqual([
      'GET /v2/campaigns',
      'GET /v2/campaigns/{id}/creatives',
      'GET /v2/campaigns/{id}/creatives',
    ]);
    for (const client of clients) {
      const parent = spans.find((span) => span.spanContext().spanId === client.parentSpanContext?.spanId)!;
      expect(parent.name).toBe(client.name === 'GET /v2/campaigns' ? 'list advalidation ListCampaigns' : 'list advalidation ListCreatives');
      expect(parent.attributes[ATTR.upstream]).toBe('advalidation');
      expect(parent.attributes[ATTR.attempts]).toBe(1);
      expect(client.attributes[ATTR.attempts]).toBe(1);
      expect(JSON.stringify(client.attributes)).not.toContain(campaignId);
    }
  });
});
