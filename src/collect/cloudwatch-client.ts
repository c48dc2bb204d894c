import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { displayUrl, isLoopbackUrl } from '../model/loopback.ts';
import { silenceSdkNodeVersionWarning } from '../pricing/price-list-client.ts';

/**
 * A local CloudWatch (the emulator's, a test double) checks no signature, and a user pointing
 * dowsim at one should not need AWS keys: placeholders sign those requests. Only ever for loopback.
 */
const LOOPBACK_CREDENTIALS = { accessKeyId: 'dowsim-local', secretAccessKey: 'dowsim-local' };

export interface AwsClientOptions {
  region: string;
  /** `--endpoint-url`: wins over AWS_ENDPOINT_URL_CLOUDWATCH / AWS_ENDPOINT_URL, which the SDK reads itself. */
  endpointUrl?: string;
  /** `--profile`; without it the SDK's default chain applies (AWS_PROFILE, env keys, SSO, IMDS …). */
  profile?: string;
}

/**
 * A CloudWatch client that follows the SDK's own conventions. The SDK's retries are off (our
 * backoff counts and reports them) and a dead endpoint fails in seconds instead of hanging.
 */
export function createCloudWatchClient(opts: AwsClientOptions, env: NodeJS.ProcessEnv = process.env): CloudWatchClient {
  silenceSdkNodeVersionWarning();
  // the endpoint the SDK will call: the flag, else the SDK's own variables (it reads them itself)
  const local = isLoopbackUrl(opts.endpointUrl || env.AWS_ENDPOINT_URL_CLOUDWATCH || env.AWS_ENDPOINT_URL);
  return new CloudWatchClient({
    region: opts.region,
    ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
    ...(opts.profile ? { profile: opts.profile } : local ? { credentials: LOOPBACK_CREDENTIALS } : {}),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

/** Where CloudWatch calls go, for messages: the flag, the SDK's env vars, or the Region's endpoint. */
export function describeCloudWatchEndpoint(region: string, endpointUrl?: string, env: NodeJS.ProcessEnv = process.env): string {
  return displayUrl(endpointUrl || env.AWS_ENDPOINT_URL_CLOUDWATCH || env.AWS_ENDPOINT_URL || `https://monitoring.${region}.amazonaws.com`);
}
