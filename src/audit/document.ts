/** The audit document, `dowsim.audit/1` (DESIGN "The audit document"). */
import type { Detection } from '../model/result.ts';
import type { Location } from './model.ts';

export const AUDIT_SCHEMA = 'dowsim.audit/1';

export type Category = 'dos' | 'auth' | 'deployment' | 'permissions' | 'monitoring';
export type Severity = 'error' | 'warning' | 'note';
export const SEVERITIES: Severity[] = ['error', 'warning', 'note'];
export const CATEGORIES: Category[] = ['dos', 'auth', 'deployment', 'permissions', 'monitoring'];

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  file: string;
  line: number;
  resource: string;
  message: string;
  atRisk?: { perHour: number; scenario: string };
  fix?: { description: string; perHourAfterFix?: number };
}

export interface AuditedStack {
  name: string;
  source: { file: string; resource: string; line: number };
  stack: Record<string, unknown>;
  /** `detection`: when each of the stack's alarms and budgets fires under the scenario, as configured (only when it has some). */
  risk: { scenario: string; horizonSeconds: number; perHour: { throttled: number; unthrottled: number }; detection?: Detection[] };
}

export interface AuditDocument {
  schema: typeof AUDIT_SCHEMA;
  generatedAt: string;
  sources: { path: string; format: string }[];
  prices: { region: string; asOf: string; source: string };
  stacks: AuditedStack[];
  findings: Finding[];
  assumptions: (Location & { message: string })[];
}
