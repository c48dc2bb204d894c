/** Which front a stack's API is: a REST API, an HTTP API or a Lambda function URL. */
export type ApiKind = 'rest' | 'http' | 'function-url';
