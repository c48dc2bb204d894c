import type { AuditModel } from '../model.ts';

/** Every function URL the readers found becomes an API of kind function-url, fronting its function. */
export function functionUrlApis(model: AuditModel): void {
  for (const u of model.functionUrls) {
    const id = u.loc.resource === u.function ? `${u.function}Url` : u.loc.resource;
    if (model.apis.some((a) => a.id === id)) continue;
    model.apis.push({
      id,
      kind: 'function-url',
      loc: u.loc,
      routes: [{ key: 'ANY /{proxy+}', auth: u.authType === 'NONE' ? 'none' : u.authType === 'AWS_IAM' ? 'iam' : 'unknown', apiKeyRequired: false, function: u.function, loc: u.loc }],
      usagePlans: [],
      urlFunction: u.function,
    });
  }
}
