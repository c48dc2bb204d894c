/**
 * A plain CloudFormation REST API for audit tests: `Api` with a GET method on each of `paths`
 * (resource `<Path>`, method `<Path>Get`, AWS_PROXY to function `Fn`), and optionally a Stage
 * named `prod` (resource `Stage`, with its Deployment) and further resources written as they are.
 */
export function cfnRestTemplate(opts: { paths?: string[]; apiProps?: string; apiKeyRequired?: boolean; stageProps?: string; resources?: string; memoryMb?: number } = {}): string {
  const paths = opts.paths ?? ['items'];
  const id = (p: string) => p.charAt(0).toUpperCase() + p.slice(1);
  const methods = paths.map(
    (p) => `  ${id(p)}: { Type: AWS::ApiGateway::Resource, Properties: { RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: ${p} } }
  ${id(p)}Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref ${id(p)}
      HttpMethod: GET
      AuthorizationType: NONE${opts.apiKeyRequired ? '\n      ApiKeyRequired: true' : ''}
      Integration: { Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub "arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations" }
`,
  );
  const stage =
    opts.stageProps === undefined
      ? ''
      : `  Deployment: { Type: AWS::ApiGateway::Deployment, DependsOn: [${paths.map((p) => `${id(p)}Get`).join(', ')}], Properties: { RestApiId: !Ref Api } }
  Stage: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod${opts.stageProps} } }
`;
  return `Resources:
  Api: { Type: AWS::ApiGateway::RestApi, Properties: { Name: demo${opts.apiProps ?? ''} } }
${methods.join('')}${stage}${opts.resources ?? ''}  Fn:
    Type: AWS::Lambda::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, MemorySize: ${opts.memoryMb ?? 128}, Role: arn:aws:iam::123456789012:role/r, Code: { ZipFile: "x" } }
`;
}

/**
 * A web ACL `Acl` with one rate-based rule (`rate`, 500 per IP per 5 minutes, the given Action)
 * and its association `Assoc` with `resourceArn` (YAML as written): template lines under Resources.
 */
export function cfnRateAcl(resourceArn: string, action = '{ Block: {} }'): string {
  return `  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: { Allow: {} }
      VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl }
      Rules:
        - Name: rate
          Priority: 0
          Action: ${action}
          VisibilityConfig: { SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: rate }
          Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: IP } }
  Assoc:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      ResourceArn: ${resourceArn}
      WebACLArn: !GetAtt Acl.Arn
`;
}
