import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { withAwsRetry, type RetryOptions } from './price-list-retry.ts';
import { displayUrl } from '../model/loopback.ts';

/** The Price List API answers in us-east-1, eu-central-1 and ap-south-1 only; prices for every Region come from any of them. */
export const PRICE_LIST_API_REGION = 'us-east-1';

export interface PricingClientOptions {
  /** `--endpoint-url`: wins over AWS_ENDPOINT_URL_PRICING / AWS_ENDPOINT_URL, which the SDK reads itself. */
  endpointUrl?: string;
  profile?: string;
}

/**
 * On Node < 22 the SDK warns on stderr that its releases from 2027 will need Node 22. dowsim pins
 * its SDK and supports Node 20, so for a dowsim user the warning is noise on every AWS command;
 * whoever sets the variable themselves keeps their choice.
 */
export function silenceSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** A Price List client on the SDK's conventions; its own retries off (ours count them), bounded timeouts. */
export function createPricingClient(opts: PricingClientOptions = {}): PricingClient {
  silenceSdkNodeVersionWarning();
  return new PricingClient({
    region: PRICE_LIST_API_REGION,
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

/** Where Price List calls go, for messages. */
export function describePricingEndpoint(endpointUrl?: string, env: NodeJS.ProcessEnv = process.env): string {
  return displayUrl(endpointUrl || env.AWS_ENDPOINT_URL_PRICING || env.AWS_ENDPOINT_URL || `https://api.pricing.${PRICE_LIST_API_REGION}.amazonaws.com`);
}

// A runaway NextToken loop would otherwise never end; no service we ask has this many pages.
const MAX_PAGES = 500;

/** Every `PriceList` entry GetProducts returns for a service and filters, following NextToken. */
export async function getAllProducts(
  client: PricingClient,
  serviceCode: string,
  filters: { Field: string; Value: string }[],
  retry: RetryOptions = {},
): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await withAwsRetry(
      () =>
        client.send(
          new GetProductsCommand({
            ServiceCode: serviceCode,
            Filters: filters.map((f) => ({ Type: 'TERM_MATCH', Field: f.Field, Value: f.Value })),
            FormatVersion: 'aws_v1',
            MaxResults: 100,
            NextToken: nextToken,
          }),
        ),
      retry,
    );
    pages++;
    items.push(...(page.PriceList ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken && pages < MAX_PAGES);
  return { items, pages };
}
