import { RuntimeError } from '../model/errors.ts';
import { displayUrl } from '../model/loopback.ts';

/*
 * Turns what the AWS SDK v3 throws into one sentence a user can act on. Shared by the Price List
 * refresh and the CloudWatch collector (collect/ sits above pricing/, so it imports from here).
 * Every AWS failure is a RuntimeError (exit 2): missing credentials, an unknown profile or an
 * unreachable endpoint are the machine's state, not a mistake in the command line.
 */

/** Error names AWS uses for "slow down" (the SDK's own list, plus CloudWatch's query-compatible code). */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

const AUTH_REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'AccessDeniedExc']);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
  cause?: unknown;
}

function asSdk(err: unknown): SdkLikeError {
  return (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkLikeError;
}

export function isThrottlingError(err: unknown): boolean {
  const e = asSdk(err);
  return THROTTLING.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429 || e.$retryable?.throttling === true;
}

/** A service-side failure worth another try: throttling, or a 5xx answer. */
export function isRetryableAwsError(err: unknown): boolean {
  const status = asSdk(err).$metadata?.httpStatusCode ?? 0;
  return isThrottlingError(err) || status >= 500;
}

/** The socket-level code of a connection failure (Node wraps dual-stack failures in an AggregateError). */
export function networkErrorCode(err: unknown): string | undefined {
  const e = asSdk(err);
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  for (const inner of e.errors ?? []) {
    const c = networkErrorCode(inner);
    if (c) return c;
  }
  if (e.cause && e.cause !== err) return networkErrorCode(e.cause);
  return undefined;
}

export function isCredentialsError(err: unknown): boolean {
  const e = asSdk(err);
  return e.name === 'CredentialsProviderError' || /could not load credentials|credential.*not.*(found|load)|profile .* could not be found/i.test(e.message ?? '');
}

export interface AwsCallContext {
  /** Human name of the API, e.g. 'CloudWatch GetMetricData' or 'the Price List API (GetProducts)'. */
  what: string;
  /** The endpoint the client talked to, when known (flag, env var or the Region's default). */
  endpoint?: string;
  profile?: string;
  /** How many attempts were made before giving up (retries included). */
  attempts?: number;
}

/** One clear sentence for an AWS SDK failure; never a stack trace, never a credential. */
export function explainAwsError(err: unknown, ctx: AwsCallContext): RuntimeError {
  const e = asSdk(err);
  const where = ctx.endpoint ? ` at ${displayUrl(ctx.endpoint)}` : '';
  const detail = scrub(e.message ?? String(err));
  if (isCredentialsError(err)) {
    const profile = ctx.profile ?? process.env.AWS_PROFILE;
    if (profile) {
      const from = ctx.profile ? '--profile' : 'AWS_PROFILE';
      return new RuntimeError(
        `${ctx.what}: no AWS credentials for profile "${profile}" (from ${from}). Check that ~/.aws/config or ` +
          `~/.aws/credentials defines it, run \`aws configure --profile ${profile}\` or \`aws sso login --profile ${profile}\`, ` +
          'or leave the profile out to use the default chain.',
        { cause: err },
      );
    }
    return new RuntimeError(
      `${ctx.what}: no AWS credentials found. Set AWS_PROFILE (or pass --profile) to a profile from ~/.aws/config, ` +
        'run `aws configure` (or `aws sso login`), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
      { cause: err },
    );
  }
  const net = networkErrorCode(err);
  if (net) {
    const why = net === 'ECONNREFUSED' ? 'connection refused' : net === 'ENOTFOUND' || net === 'EAI_AGAIN' ? 'host not found' : net === 'ETIMEDOUT' ? 'timed out' : net;
    return new RuntimeError(
      `${ctx.what}: could not reach the endpoint${where} (${why}). Check the network, --endpoint-url ` +
        'and the AWS_ENDPOINT_URL_* variables.',
      { cause: err },
    );
  }
  if (isThrottlingError(err)) {
    const tries = ctx.attempts ? ` after ${ctx.attempts} attempts with backoff` : '';
    return new RuntimeError(`${ctx.what}: AWS kept throttling the requests${tries} (${e.name ?? 'Throttling'}). Try again later or with a narrower window.`, { cause: err });
  }
  if (AUTH_REJECTED.has(e.name ?? '')) {
    // AWS's own message ends with a full stop more often than not: one is enough before the advice
    const said = detail.replace(/\.+$/, '');
    return new RuntimeError(`${ctx.what}: AWS rejected the credentials (${e.name}): ${said}. Refresh them (\`aws sso login\`, \`aws configure\`) or pick another profile.`, { cause: err });
  }
  if (ACCESS_DENIED.has(e.name ?? '') || e.$metadata?.httpStatusCode === 403) {
    return new RuntimeError(`${ctx.what}: access denied (${e.name ?? '403'}): ${detail}`, { cause: err });
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    const tries = ctx.attempts ? ` after ${ctx.attempts} attempts` : '';
    return new RuntimeError(`${ctx.what}: the service failed${where}${tries} (HTTP ${status}, ${e.name ?? 'error'}): ${detail}`, { cause: err });
  }
  return new RuntimeError(`${ctx.what}: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${detail}`, { cause: err });
}

/** AWS messages never carry secrets, but a signature mismatch can echo the access key id: mask it. */
function scrub(message: string): string {
  return message.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1…').split('\n')[0];
}
