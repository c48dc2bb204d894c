/**
 * Routes of an API written as an OpenAPI / Swagger body (SAM DefinitionBody, RestApi Body,
 * Terraform `body`): method, path, how each is protected, and the function it invokes.
 */
import type { Location, RouteAuth, RouteModel } from '../model.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

type Obj = Record<string, unknown>;

/** The routes of `body`; `functionOf` maps an integration URI (raw) to a function id, if any. */
export function openApiRoutes(body: unknown, loc: Location, functionOf: (uri: unknown) => string | undefined): RouteModel[] {
  if (!body || typeof body !== 'object') return [];
  const b = body as Obj;
  const paths = b.paths;
  if (!paths || typeof paths !== 'object') return [];
  const schemes = { ...((b.securityDefinitions as Obj) ?? {}), ...(((b.components as Obj)?.securitySchemes as Obj) ?? {}) };
  const globalSecurity = Array.isArray(b.security) ? (b.security as Obj[]) : undefined;
  const routes: RouteModel[] = [];
  for (const [path, item] of Object.entries(paths as Obj)) {
    if (!item || typeof item !== 'object') continue;
    for (const [m, op] of Object.entries(item as Obj)) {
      const lower = m.toLowerCase();
      if (!METHODS.includes(lower) || !op || typeof op !== 'object') continue;
      const o = op as Obj;
      const method = lower === 'x-amazon-apigateway-any-method' ? 'ANY' : lower.toUpperCase();
      const security = Array.isArray(o.security) ? (o.security as Obj[]) : globalSecurity;
      const { auth, apiKey } = authOf(security, schemes, o['x-amazon-apigateway-auth'] ?? b['x-amazon-apigateway-auth']);
      const integ = o['x-amazon-apigateway-integration'] as Obj | undefined;
      const fn = integ ? functionOf(integ.uri) : undefined;
      const key = path === '$default' || path === '/$default' ? '$default' : `${method} ${path}`;
      routes.push({ key, auth, apiKeyRequired: apiKey, ...(fn ? { function: fn } : {}), loc });
    }
  }
  return routes;
}

function authOf(security: Obj[] | undefined, schemes: Obj, xAuth: unknown): { auth: RouteAuth; apiKey: boolean } {
  let auth: RouteAuth = 'none';
  let apiKey = false;
  const xType = xAuth && typeof xAuth === 'object' ? String((xAuth as Obj).type ?? '').toUpperCase() : '';
  if (xType === 'AWS_IAM') auth = 'iam';
  for (const requirement of security ?? []) {
    if (!requirement || typeof requirement !== 'object') continue;
    for (const name of Object.keys(requirement)) {
      const s = (schemes[name] ?? {}) as Obj;
      if (name === 'NONE') continue;
      if (name === 'api_key' || (s.type === 'apiKey' && !s['x-amazon-apigateway-authorizer'] && s['x-amazon-apigateway-authtype'] !== 'awsSigv4')) {
        apiKey = true;
      } else if (s['x-amazon-apigateway-authtype'] === 'awsSigv4' || name === 'AWS_IAM' || name === 'sigv4') {
        auth = 'iam';
      } else if (auth !== 'iam') {
        auth = 'authorizer';
      }
    }
  }
  return { auth, apiKey };
}
