import { GetProductsCommand } from '@aws-sdk/client-pricing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/model/errors.ts';
import {
  explainAwsError,
  isCredentialsError,
  isRetryableAwsError,
  isThrottlingError,
  networkErrorCode,
} from '../../src/pricing/price-list-aws-errors.ts';
import { createPricingClient } from '../../src/pricing/price-list-client.ts';
import { startPriceListServer, type PriceListServer } from '../support/price-list-server.ts';
import { closedPort } from '../collect/support/closed-port.ts';
import { withAwsEnv } from './support/aws-env.ts';

/*
 * What the real @aws-sdk/client-pricing throws for the answers GetProducts documents
 * (AccessDeniedException, ThrottlingException, InternalErrorException, NotFoundException …, from
 * the Price List API reference), served by the local endpoint in AWS JSON 1.1, and the one sentence
 * dowsim turns each into. Socket-level failures Node raises (ENOTFOUND, AggregateError) are built
 * by hand with Node's shapes: they cannot be produced on 127.0.0.1 alone.
 */

const WHAT = 'Price List API (GetProducts)';
let server: PriceListServer;
beforeAll(async () => {
  server = await startPriceListServer({
    items: { AWSLambda: [] },
    failServices: {
      denied: { status: 400, type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: pricing:GetProducts' },
      forbidden: { status: 403, type: 'Forbidden', message: 'Forbidden' },
      badSignature: {
        status: 403,
        type: 'InvalidSignatureException',
        message: 'The request signature we calculated does not match the signature you provided (key AKIAIOSFODNN7EXAMPLE)\nThe Canonical String for this request should have been …',
      },
      unknownClient: { status: 400, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
      throttled: { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' },
      internal: { status: 500, type: 'InternalErrorException', message: 'An error on the server occurred' },
      unavailable: { status: 503, type: 'ServiceUnavailable', message: 'Service Unavailable' },
      notFound: { status: 400, type: 'NotFoundException', message: 'Service notFound not found' },
    },
  });
});
afterAll(async () => {
  await server.close();
});

/** The error the real SDK client throws for one GetProducts call of `serviceCode` (no retries). */
async function sdkError(serviceCode: string, endpoint = server.url): Promise<unknown> {
  const client = createPricingClient({ endpointUrl: endpoint });
  try {
    await withAwsEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }, () =>
      client.send(new GetProductsCommand({ ServiceCode: serviceCode, FormatVersion: 'aws_v1' })),
    );
  } catch (err) {
    return err;
  } finally {
    client.destroy();
  }
  throw new Error(`GetProducts ${serviceCode} succeeded`);
}

const nodeError = (code: string, message = `connect ${code} 127.0.0.1:443`) => Object.assign(new Error(message), { code });

describe('explainAwsError: one sentence per failure, RuntimeError (exit 2), never a credential', () => {
  it('no credentials at all: names the ways to provide them', async () => {
    const err = await withAwsEnv(
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/nonexistent/dowsim-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/dowsim-credentials', AWS_EC2_METADATA_DISABLED: 'true' },
      async () => {
        const client = createPricingClient({ endpointUrl: server.url });
        try {
          return await client.send(new GetProductsCommand({ ServiceCode: 'AWSLambda' })).catch((e: unknown) => e);
        } finally {
          client.destroy();
        }
      },
    );
    expect(isCredentialsError(err)).toBe(true);
    const explained = withAwsEnv({ AWS_PROFILE: undefined }, () => explainAwsError(err, { what: WHAT, endpoint: server.url }));
    expect(explained).toBeInstanceOf(RuntimeError);
    expect(explained.message).toBe(
      `${WHAT}: no AWS credentials found. Set AWS_PROFILE (or pass --profile) to a profile from ~/.aws/config, ` +
        'run `aws configure` (or `aws sso login`), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
    expect(explained.cause).toBe(err);
  });

  it('credentials missing for a named profile: says which profile and where it came from', () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const fromFlag = withAwsEnv({ AWS_PROFILE: 'from-env' }, () => explainAwsError(err, { what: WHAT, profile: 'ghost' }));
    expect(fromFlag.message).toBe(
      `${WHAT}: no AWS credentials for profile "ghost" (from --profile). Check that ~/.aws/config or ~/.aws/credentials defines it, ` +
        'run `aws configure --profile ghost` or `aws sso login --profile ghost`, or leave the profile out to use the default chain.',
    );
    const fromEnv = withAwsEnv({ AWS_PROFILE: 'from-env' }, () => explainAwsError(err, { what: WHAT }));
    expect(fromFlag.cause).toBe(err);
    expect(fromEnv.message).toMatch(/^Price List API \(GetProducts\): no AWS credentials for profile "from-env" \(from AWS_PROFILE\)\. /);
  });

  it('recognises the credential messages of the SDK’s providers, case aside, and nothing else', () => {
    // CredentialsProviderError's name alone; the chain's message; fromIni's "Profile x could not be found …"
    expect(isCredentialsError(Object.assign(new Error('anything'), { name: 'CredentialsProviderError' }))).toBe(true);
    expect(isCredentialsError(new Error('Could not load credentials from any providers'))).toBe(true);
    expect(isCredentialsError(new Error('Profile ghost could not be found or parsed in shared credentials file.'))).toBe(true);
    expect(isCredentialsError(new Error('Credential is not loaded yet'))).toBe(true);
    expect(isCredentialsError(new Error('credentials were not found in the environment'))).toBe(true);
    expect(isCredentialsError(new Error('Credentials have not been loaded'))).toBe(true);
    expect(isCredentialsError(new Error('Rate exceeded'))).toBe(false);
    expect(isCredentialsError(new Error('profile section found'))).toBe(false);
    expect(isCredentialsError('a string')).toBe(false);
    expect(isCredentialsError(undefined)).toBe(false);
  });

  it('an endpoint nothing listens on: "connection refused", naming the endpoint', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const err = await sdkError('AWSLambda', url);
    expect(networkErrorCode(err)).toBe('ECONNREFUSED');
    expect(explainAwsError(err, { what: WHAT, endpoint: url }).cause).toBe(err); // the SDK's error kept for whoever debugs
    expect(explainAwsError(err, { what: WHAT, endpoint: url }).message).toBe(
      `${WHAT}: could not reach the endpoint at ${url} (connection refused). Check the network, --endpoint-url and the AWS_ENDPOINT_URL_* variables.`,
    );
    // without a known endpoint the sentence just leaves it out
    expect(explainAwsError(err, { what: WHAT }).message).toMatch(/^Price List API \(GetProducts\): could not reach the endpoint \(connection refused\)\./);
  });

  it('says what each socket failure means: host not found, timed out, or the code itself', () => {
    const why = (err: unknown) => /\(([^)]*)\)\. Check the network/.exec(explainAwsError(err, { what: WHAT }).message)?.[1];
    expect(why(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.pricing.us-east-1.amazonaws.com'))).toBe('host not found');
    expect(why(nodeError('EAI_AGAIN'))).toBe('host not found');
    expect(why(nodeError('ETIMEDOUT'))).toBe('timed out');
    // the SDK's own connection/request timeouts are TimeoutError, without a code
    expect(why(Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }))).toBe('timed out');
    for (const code of ['ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']) expect(why(nodeError(code))).toBe(code);
  });

  it('finds the socket code inside an AggregateError (dual-stack connect) and down a cause chain', () => {
    // Node ≥ 20 "happy eyeballs": connect fails on ::1 and 127.0.0.1, one AggregateError holds both
    const dual = new AggregateError([new Error('no code'), nodeError('ECONNREFUSED')], '');
    expect(networkErrorCode(dual)).toBe('ECONNREFUSED');
    expect(networkErrorCode(new Error('wrapped', { cause: new Error('again', { cause: nodeError('EHOSTUNREACH') }) }))).toBe('EHOSTUNREACH');
    expect(networkErrorCode(new AggregateError([new Error('a'), new Error('b')]))).toBeUndefined();
    // a code that is not a socket failure is no network error
    expect(networkErrorCode(nodeError('ERR_INVALID_ARG_TYPE'))).toBeUndefined();
    // an error that is its own cause must not loop
    const selfish = new Error('me');
    (selfish as { cause?: unknown }).cause = selfish;
    expect(networkErrorCode(selfish)).toBeUndefined();
    expect(networkErrorCode('ECONNREFUSED')).toBeUndefined();
  });

  it('ThrottlingException from the service: "kept throttling", with the attempts made when known', async () => {
    const err = await sdkError('throttled');
    expect(isThrottlingError(err)).toBe(true);
    expect(explainAwsError(err, { what: WHAT }).cause).toBe(err);
    expect(explainAwsError(err, { what: WHAT, attempts: 6 }).message).toBe(
      `${WHAT}: AWS kept throttling the requests after 6 attempts with backoff (ThrottlingException). Try again later or with a narrower window.`,
    );
    expect(explainAwsError(err, { what: WHAT }).message).toBe(
      `${WHAT}: AWS kept throttling the requests (ThrottlingException). Try again later or with a narrower window.`,
    );
    // an HTTP 429 without a name still reads as throttling
    expect(explainAwsError({ $metadata: { httpStatusCode: 429 } }, { what: WHAT }).message).toContain('throttling the requests (Throttling)');
  });

  it('rejected credentials: names the error, masks an access key id and keeps the first line only', async () => {
    const err = await sdkError('badSignature');
    expect(explainAwsError(err, { what: WHAT }).cause).toBe(err);
    const message = explainAwsError(err, { what: WHAT }).message;
    expect(message).toBe(
      `${WHAT}: AWS rejected the credentials (InvalidSignatureException): The request signature we calculated does not match the signature ` +
        'you provided (key AKIA…). Refresh them (`aws sso login`, `aws configure`) or pick another profile.',
    );
    expect(message).not.toContain('IOSFODNN7EXAMPLE');
    const token = await sdkError('unknownClient');
    expect(explainAwsError(token, { what: WHAT }).message).toMatch(/^Price List API \(GetProducts\): AWS rejected the credentials \(UnrecognizedClientException\): The security token/);
    // AWS's own sentence ends with a full stop: the advice follows after one, not two
    const real = Object.assign(new Error('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'), {
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    expect(explainAwsError(real, { what: WHAT }).message).toBe(
      `${WHAT}: AWS rejected the credentials (SignatureDoesNotMatch): The request signature we calculated does not match the signature you provided. ` +
        'Check your AWS Secret Access Key and signing method. Refresh them (`aws sso login`, `aws configure`) or pick another profile.',
    );
    // temporary (STS) keys start with ASIA
    const sts = Object.assign(new Error('Signature expired for ASIAXXXXXXXXXXXXXXXX'), { name: 'ExpiredTokenException' });
    expect(explainAwsError(sts, { what: WHAT }).message).toContain('(ExpiredTokenException): Signature expired for ASIA…. Refresh them');
  });

  it('access denied: by AccessDeniedException, or by a bare HTTP 403', async () => {
    const denied = await sdkError('denied');
    expect(explainAwsError(denied, { what: WHAT }).cause).toBe(denied);
    expect(explainAwsError(await sdkError('denied'), { what: WHAT }).message).toBe(
      `${WHAT}: access denied (AccessDeniedException): User: arn:aws:iam::123456789012:user/ci is not authorized to perform: pricing:GetProducts`,
    );
    expect(explainAwsError(await sdkError('forbidden'), { what: WHAT }).message).toBe(`${WHAT}: access denied (Forbidden): Forbidden`);
    expect(explainAwsError({ message: 'no', $metadata: { httpStatusCode: 403 } }, { what: WHAT }).message).toBe(`${WHAT}: access denied (403): no`);
  });

  it('a 5xx answer: "the service failed", with endpoint, attempts, status and error name', async () => {
    const err = await sdkError('internal');
    expect(isRetryableAwsError(err)).toBe(true);
    expect(explainAwsError(err, { what: WHAT }).cause).toBe(err);
    expect(explainAwsError(err, { what: WHAT, endpoint: 'http://pricing.test', attempts: 3 }).message).toBe(
      `${WHAT}: the service failed at http://pricing.test after 3 attempts (HTTP 500, InternalErrorException): An error on the server occurred`,
    );
    const unavailable = await sdkError('unavailable');
    expect(explainAwsError(unavailable, { what: WHAT }).message).toBe(`${WHAT}: the service failed (HTTP 503, ServiceUnavailable): Service Unavailable`);
    expect(explainAwsError({ message: 'x', $metadata: { httpStatusCode: 502 } }, { what: WHAT }).message).toBe(`${WHAT}: the service failed (HTTP 502, error): x`);
  });

  it('anything else: the error name and message as AWS sent them', async () => {
    const notFound = await sdkError('notFound');
    expect(explainAwsError(notFound, { what: WHAT }).cause).toBe(notFound);
    expect(explainAwsError(await sdkError('notFound'), { what: WHAT }).message).toBe(`${WHAT}: NotFoundException: Service notFound not found`);
    // a plain Error adds nothing by its name; a thrown string is its own message
    expect(explainAwsError(new Error('socket hang up'), { what: WHAT }).message).toBe(`${WHAT}: socket hang up`);
    expect(explainAwsError('boom', { what: WHAT }).message).toBe(`${WHAT}: boom`);
    // 499 is a client error, not a service failure
    expect(explainAwsError({ name: 'Odd', message: 'm', $metadata: { httpStatusCode: 499 } }, { what: WHAT }).message).toBe(`${WHAT}: Odd: m`);
  });
});

describe('which AWS failures are worth another try', () => {
  it('every throttling code of the SDK’s list that dowsim knows, an HTTP 429, or the SDK’s throttling flag', () => {
    // @smithy/core retry/service-error-classification THROTTLING_ERROR_CODES (the ones AWS's services send to dowsim)
    for (const name of ['Throttling', 'ThrottlingException', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']) {
      expect(isThrottlingError({ name, $metadata: { httpStatusCode: 400 } }), name).toBe(true);
      expect(isRetryableAwsError({ name, $metadata: { httpStatusCode: 400 } }), name).toBe(true);
    }
    expect(isThrottlingError({ name: 'Unknown', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottlingError({ name: 'Unknown', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottlingError({ name: 'Unknown', $retryable: { throttling: false }, $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isThrottlingError({})).toBe(false);
    expect(isThrottlingError(null)).toBe(false);
  });

  it('5xx answers from 500 up; a refusal, a bad request or a 4xx is final', async () => {
    expect(isRetryableAwsError({ name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isRetryableAwsError(await sdkError('unavailable'))).toBe(true);
    expect(isRetryableAwsError({ name: 'X', $metadata: { httpStatusCode: 499 } })).toBe(false);
    expect(isRetryableAwsError(await sdkError('denied'))).toBe(false);
    expect(isRetryableAwsError(await sdkError('notFound'))).toBe(false);
    expect(isRetryableAwsError(new Error('no metadata'))).toBe(false);
  });
});
