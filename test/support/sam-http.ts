/**
 * SAM templates of HTTP APIs for audit tests: each API (logical id → its routes) with a stage
 * throttle (DefaultRouteSettings, 100/200 unless given; null: none), one 1 GB function behind them
 * all. A route is "/path" (GET) or "METHOD /path"; those listed in `iam` require AWS_IAM.
 */
export function samHttpApis(apis: Record<string, string[]>, opts: { stage?: { rate: number; burst: number } | null; iam?: string[] } = {}): string {
  const stage = opts.stage === undefined ? { rate: 100, burst: 200 } : opts.stage;
  const props = stage ? `DefaultRouteSettings: { ThrottlingRateLimit: ${stage.rate}, ThrottlingBurstLimit: ${stage.burst} }` : 'Description: no stage throttle';
  const events = Object.entries(apis).flatMap(([id, routes]) =>
    routes.map((route) => {
      const [method, path] = route.includes(' ') ? route.split(' ') : ['GET', route];
      const auth = opts.iam?.includes(route) ? ', Auth: { Authorizer: AWS_IAM }' : '';
      return { id, method, path, auth };
    }),
  );
  return `Transform: AWS::Serverless-2016-10-31
Resources:
${Object.keys(apis)
  .map((id) => `  ${id}:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      ${props}\n`)
  .join('')}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: .
      MemorySize: 1024
      Events:
${events.map((e, i) => `        E${i}: { Type: HttpApi, Properties: { ApiId: !Ref ${e.id}, Path: ${e.path}, Method: ${e.method}${e.auth} } }`).join('\n')}
`;
}
