/**
 * Which of a source's alarms and budgets watch one API, as the `alarms:` / `budgets:` of its
 * derived stack. An alarm watches the API when its dimensions name the API or a function behind
 * it, or when it has no dimensions (account-wide: Lambda's account metrics, AWS/Billing). Budgets
 * are account-wide. When a source has several APIs and the attachment is a guess, it is said.
 */
import type { ApiModel, AuditModel, Location } from './model.ts';

type Doc = Record<string, unknown>;

/** Ids (logical ids, Terraform addresses) that belong to the API: itself and the functions behind it. */
function ownIds(api: ApiModel): Set<string> {
  return new Set([api.id, ...(api.urlFunction ? [api.urlFunction] : []), ...api.routes.map((r) => r.function).filter((f): f is string => !!f)]);
}

/** Names unique across alarms and budgets, as the stack schema wants them. */
function uniqueName(name: string, used: Set<string>): string {
  let out = name;
  for (let i = 2; used.has(out); i++) out = `${name.slice(0, 250)}-${i}`;
  used.add(out);
  return out;
}

export function monitoringDocument(model: AuditModel, api: ApiModel, assume: (message: string, loc?: Location) => void): { alarms: Doc[]; budgets: Doc[] } {
  const own = ownIds(api);
  const known = new Set([...model.apis.map((a) => a.id), ...model.functions.map((f) => f.id)]);
  const several = model.apis.length > 1;
  const used = new Set<string>();
  const alarms: Doc[] = [];
  for (const a of model.alarms) {
    if (!a.entry) continue; // an assumption already says why it is not modelled
    const { refs, values } = a.dimensions;
    const what = `alarm "${String(a.entry.name)}"`;
    if (refs.length + values.length === 0) {
      if (several) assume(`${what} has no dimensions (account-wide); it is taken to watch ${api.id}, as every API of this source`, a.loc);
    } else if (refs.some((r) => own.has(r))) {
      // its dimensions name this API or one of its functions
    } else if (refs.some((r) => known.has(r))) {
      continue; // another API's or function's alarm
    } else if (several) {
      assume(`${what}'s dimensions (${[...refs, ...values].join(', ')}) name no API or function of this source; it is not taken to watch ${api.id}`, a.loc);
      continue;
    } else {
      assume(`${what}'s dimensions (${[...refs, ...values].join(', ')}) name no resource of this source; it is taken to watch ${api.id}, the source's only API`, a.loc);
    }
    if (api.kind === 'function-url' && a.namespace === 'AWS/ApiGateway') continue; // a function URL has no API Gateway metrics
    alarms.push({ ...a.entry, name: uniqueName(String(a.entry.name), used) });
  }
  const budgets: Doc[] = [];
  for (const b of model.budgets) {
    if (b.entries.length && several) assume(`budget "${String(b.entries[0].name)}" is account-wide; it is taken to watch ${api.id}, as every API of this source`, b.loc);
    for (const e of b.entries) budgets.push({ ...e, name: uniqueName(String(e.name), used) });
  }
  return { alarms, budgets };
}
