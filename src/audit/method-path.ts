/**
 * The key of one method's settings in a REST API stage, as API Gateway writes it: the resource
 * path with its slashes escaped as "~1", then the method ("~1items~1{id}/GET"; the root resource's
 * "~1/GET"). `aws apigateway update-stage` sets one with the patch path "/~1resourceName/GET/…",
 * and `get-stages` lists it as "~1resourceName/GET" (the AWS CLI's examples); CloudFormation's
 * MethodSetting writes the same path as "/~1items~1{id}". Terraform's method_path is this key: its
 * provider sends "/<method_path>/throttling/…" and reads the stage's setting back by it.
 */
export function methodPathOfRoute(routeKey: string): string {
  const [method, path] = routeKey.split(' ');
  return `${path.replace(/\//g, '~1')}/${method === 'ANY' ? '*' : method}`;
}

/**
 * A usage plan's key for one method's throttle (CloudFormation ApiStage.Throttle, Terraform
 * api_stages.throttle.path): the resource path, then the method, "/items/{id}/GET" (aws-cdk's
 * `${resource.path}/${httpMethod}`); routeOfMethodPath reads it back.
 */
export function planMethodKey(routeKey: string): string {
  const [method, path] = routeKey.split(' ');
  return `${path}/${method}`; // an ANY method is API Gateway's method "ANY"
}

/**
 * The route ("GET /items/{id}") a method path names, escaped or not: "~1items~1{id}/GET", and
 * "items/{id}/GET" as the Terraform provider's documentation writes it ("{resource_path}/{http_method}").
 */
export function routeOfMethodPath(methodPath: string): string {
  const cut = methodPath.lastIndexOf('/');
  const [p, m] = [methodPath.slice(0, cut), methodPath.slice(cut + 1)];
  return `${m === '*' ? 'ANY' : m.toUpperCase()} /${p.replace(/~1/g, '/').replace(/^\/+/, '')}`;
}
