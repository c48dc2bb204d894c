/**
 * The k6-operator manifest: a ConfigMap holding the script and a TestRun (k6.io/v1alpha1) that
 * runs it on `parallelism` runners, each taking an equal execution segment of every scenario.
 * API keys come from a Kubernetes Secret by reference (secretKeyRef, optional); their values are
 * never in the manifest.
 */
import { Document, isScalar, Scalar, stringify } from 'yaml';

export interface TestRunModel {
  /** DNS-1123 base name for both objects. */
  name: string;
  scriptFile: string;
  script: string;
  parallelism: number;
  target: string;
  /** Env vars of cohorts holding usage-plan keys (DOWSIM_API_KEYS_<COHORT>). */
  keyEnvs: string[];
  secretName: string;
  scenarioName: string;
}

/** Both documents, ready to `kubectl apply -f`. */
export function renderTestRun(m: TestRunModel): string {
  const configMapName = `${m.name}-script`;
  const head = [
    `# k6-operator TestRun for dowsim scenario "${m.scenarioName.replace(/[\r\n]+/g, ' ')}": ${m.parallelism} runner${m.parallelism === 1 ? '' : 's'},`,
    '# each running an equal execution segment of every cohort (rates, VUs and clients split between them).',
    '#   kubectl apply -f <this file>          # needs k6-operator in the cluster',
    ...(m.keyEnvs.length
      ? [
          '# API keys for usage-plan cohorts come from a Secret (never from this file):',
          `#   kubectl create secret generic ${m.secretName} ${m.keyEnvs.map((e) => `--from-literal=${e}=<key>,<key>`).join(' ')}`,
        ]
      : []),
    '# Every runner sees only its share: add up what all of them did from the server side with',
    '#   npx dowsim collect --stack <stack> --start <time> --end <time>',
    '',
  ].join('\n');

  const configMap = new Document({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName, labels: { 'app.kubernetes.io/managed-by': 'dowsim' } },
    data: { [m.scriptFile]: m.script },
  });
  // the script as a literal block: readable with kubectl get -o yaml, byte-exact when parsed back
  const data = configMap.get('data') as { get(k: string, keep: true): unknown };
  const node = data.get(m.scriptFile, true);
  if (isScalar(node)) (node as Scalar).type = Scalar.BLOCK_LITERAL;

  const env: Record<string, unknown>[] = [{ name: 'DOWSIM_TARGET', value: m.target }];
  for (const e of m.keyEnvs) env.push({ name: e, valueFrom: { secretKeyRef: { name: m.secretName, key: e, optional: true } } });
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: m.name, labels: { 'app.kubernetes.io/managed-by': 'dowsim' } },
    spec: {
      parallelism: m.parallelism,
      script: { configMap: { name: configMapName, file: m.scriptFile } },
      arguments: `--tag testid=${m.name}`,
      runner: { env },
    },
  };
  return `${head}${configMap.toString({ lineWidth: 0 })}---\n${stringify(testRun, { lineWidth: 0 })}`;
}

/** A Kubernetes object name (RFC 1123: lower case, digits, "-"; 50 characters leave room for the runner jobs k6-operator names after it). */
export function kubeName(s: string): string {
  const name = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return name || 'dowsim';
}
