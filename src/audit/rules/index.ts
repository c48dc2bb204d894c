/** Every audit rule, in report order (DoS, auth, permissions, deployment, monitoring). */
import type { Rule } from './rule.ts';
import { dosNoThrottle } from './dos-no-throttle.ts';
import { dosThrottleTooLoose } from './dos-throttle-too-loose.ts';
import { dosNoReservedConcurrency } from './dos-no-reserved-concurrency.ts';
import { dosNoWafRateRule } from './dos-no-waf-rate-rule.ts';
import { authPublicRoute } from './auth-public-route.ts';
import { authFunctionUrlNone } from './auth-function-url-none.ts';
import { authWildcardInvoke } from './auth-wildcard-invoke.ts';
import { permissionsWildcardAction } from './permissions-wildcard-action.ts';
import { permissionsWildcardResource } from './permissions-wildcard-resource.ts';
import { deploymentUnencryptedBucket } from './deployment-unencrypted-bucket.ts';
import { monitoringNoAlarms } from './monitoring-no-alarms.ts';
import { monitoringDataTrace } from './monitoring-data-trace.ts';
import { monitoringLogRetention } from './monitoring-log-retention.ts';

export const RULES: Rule[] = [
  dosNoThrottle,
  dosThrottleTooLoose,
  dosNoReservedConcurrency,
  dosNoWafRateRule,
  authPublicRoute,
  authFunctionUrlNone,
  authWildcardInvoke,
  permissionsWildcardAction,
  permissionsWildcardResource,
  deploymentUnencryptedBucket,
  monitoringNoAlarms,
  monitoringDataTrace,
  monitoringLogRetention,
];
