// readSettings in-process, driven by INPUT_* variables as the runner sets them: the defaults, the one-line
// message of each bad input, the strategy/action check, and the library errors said in input names.
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeconfigError } from '@gin-deploy/kube';
import {
  ContainerNotFoundError,
  DEFAULT_RESOURCES,
  LeaseHeldError,
  ManifestError,
  NothingToFinishError,
  RolloutError,
  RouterNeededError,
  TrafficRouterError,
} from '@gin-deploy/rollout';
import { inputError, readSettings } from '../../actions/k8s-rollout/src/settings.js';
import { clearInputs, setInput, setInputs } from '../support/inputs.js';

const KUBECONFIG = [
  'apiVersion: v1',
  'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443/" } }]',
  'users: [{ name: u, user: { token: settings-test-token } }]',
  'contexts: [{ name: x, context: { cluster: c, user: u, namespace: shop } }]',
  'current-context: x',
].join('\n');
const IMAGE = 'registry.local/shop@sha256:' + 'a'.repeat(64);

describe('k8s-rollout readSettings', () => {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'k8s-rollout-settings-'));
  const saved = { ...process.env };

  beforeEach(() => {
    clearInputs();
    process.env.GITHUB_WORKSPACE = workspace;
    process.env.RUNNER_TEMP = path.join(workspace, 'tmp');
    // setSecret prints ::add-mask:: lines; they belong to the runner, not to the test output.
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    setInputs({ kubeconfig: KUBECONFIG, name: 'shop', image: IMAGE });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    clearInputs();
    process.env = { ...saved };
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('fills every default for a generated app', () => {
    const settings = readSettings();
    expect(settings).toMatchObject({
      strategy: 'rolling',
      action: 'deploy',
      manifests: [],
      app: {
        name: 'shop',
        image: IMAGE,
        port: 8080,
        replicas: 2,
        healthPath: '/health',
        readyPath: '/ready',
        resources: DEFAULT_RESOURCES,
      },
      policy: 'warn',
      timeoutMs: 600_000,
      readyTimeoutMs: 120_000,
      maxRestarts: 3,
      rollbackOnFailure: true,
      canarySteps: [
        { weight: 10, pauseMs: 0 },
        { weight: 50, pauseMs: 0 },
        { weight: 100, pauseMs: 0 },
      ],
      traffic: { mode: 'replicas' },
      scaleDownDelayMs: 30_000,
      manualSwitch: false,
      leaseTimeoutMs: 900_000,
      leaseWaitMs: 0,
    });
    expect(settings.connection).toMatchObject({ server: 'https://127.0.0.1:6443', namespace: 'shop' });
    expect([settings.app?.autoscale, settings.drill, settings.analysis, settings.namespace]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reads a drill with its defaults, and a paused blue-green deploy', () => {
    setInput('action', 'drill');
    expect(readSettings().drill).toEqual({
      fault: expect.objectContaining({ text: 'pod-kill 50%' }),
      durationMs: 30_000,
      recoveryMs: 60_000,
      settleMs: 30_000,
      history: undefined,
      historySize: 5,
      margin: 10,
      regression: 'warn',
    });
    clearInputs();
    setInputs({
      kubeconfig: KUBECONFIG,
      name: 'shop',
      image: IMAGE,
      strategy: 'Blue-Green',
      pause: 'manual',
    });
    expect(readSettings()).toMatchObject({ strategy: 'blue-green', manualSwitch: true });
  });

  it.each([
    ['promote', 'blue-green'],
    ['abort', 'canary'],
    ['deploy', 'rolling'],
    ['drill', 'rolling'],
  ])('accepts action %s with strategy %s', (action, strategy) => {
    setInputs({ action, strategy });
    expect(readSettings()).toMatchObject({ action, strategy });
  });

  // A drill on the promote step would silently not run before the promotion it is meant to guard.
  it.each(['promote', 'abort'])('refuses a drill with action %s', (action) => {
    setInputs({ action, strategy: 'canary', drill: 'pod-kill 50%' });
    expect(readSettings).toThrow(
      `input 'drill' applies to action deploy (blue-green before the Service switch, canary before promotion) or action drill, not ${action}; give it to the deploy step`,
    );
  });

  it.each([
    ['promote', "input 'action': promote applies to the blue-green and canary strategies, not rolling"],
    ['abort', "input 'action': abort applies to the blue-green and canary strategies, not rolling"],
  ])('refuses action %s of a rolling deploy before reading anything else', (action, message) => {
    setInputs({ action, strategy: 'rolling', timeout: 'soon' });
    expect(readSettings).toThrow(message);
  });

  it.each<[Record<string, string>, string]>([
    [{ strategy: 'fast' }, "input 'strategy': 'fast' is not one of rolling, blue-green, canary"],
    [
      { name: 'Shop' },
      "input 'name': 'Shop' is not valid; expected a DNS label: lowercase letters, digits and -",
    ],
    [
      { 'canary-steps': '50,10' },
      "input 'canary-steps': steps must increase, but 10 follows 50; expected increasing percentages up to 100 such as 10,50,100",
    ],
    [
      { strategy: 'canary', pause: '1m,soon' },
      "input 'pause': 'soon' is not valid; expected a duration such as 30s or 5m, or 'manual'",
    ],
    [
      { resources: 'cpu=100m,gpu=1' },
      "input 'resources': 'gpu=1' is not valid; expected items such as cpu=100m,memory=128Mi or limits.memory=256Mi",
    ],
    [{ port: '0' }, "input 'port': '0' is not valid; expected a whole number from 1 to 65535"],
    [
      { autoscale: '5,2' },
      "input 'autoscale': minReplicas 5 is above maxReplicas 2; expected min,max,target-cpu such as 2,10,70%",
    ],
    [{ 'capacity-report': '{' }, "input 'capacity-report': not JSON"],
    [
      { traffic: 'gateway-api', strategy: 'blue-green' },
      "input 'traffic': gateway-api applies to strategy canary, not blue-green",
    ],
    [
      { traffic: 'ingress-nginx', strategy: 'canary' },
      "input 'ingress' is required when 'traffic' is ingress-nginx: the name of the stable Ingress the canary Ingress copies",
    ],
    [
      { 'prometheus-headers': 'no header here' },
      "input 'prometheus-headers': a line is not 'Name: value' (a header name, a colon, the value), e.g. X-Scope-OrgID: tenant-1",
    ],
    [{ analysis: 'checks: []' }, "input 'analysis' applies to strategy canary or a drill, not rolling"],
    [
      { analysis: 'checks: []', strategy: 'canary' },
      "input 'prometheus-url' is required when 'analysis' is given",
    ],
    [
      { drill: 'pod-kill 50%' },
      "input 'drill' during a deploy applies to strategies blue-green (before the Service switch) and canary (before promotion), not rolling; or use action: drill",
    ],
    [
      { timeout: 'soon' },
      "input 'timeout': 'soon' is not valid; expected a duration such as 500ms, 30s, 10m, 1h30m or 28d",
    ],
    [
      { 'max-restarts': '0' },
      "input 'max-restarts': '0' is not valid; expected a whole number of at least 1",
    ],
    [
      { 'rollback-on-failure': 'maybe' },
      "input 'rollback-on-failure': 'maybe' is not valid; expected true or false",
    ],
    [
      { action: 'drill', 'drill-margin': '200' },
      "input 'drill-margin': '200' is not valid; expected a number from 0 to 100",
    ],
    [
      { name: '' },
      "inputs 'name' and 'image' are required to generate the app when 'manifests' is not given",
    ],
    [
      { action: 'promote', strategy: 'canary', name: '' },
      "input 'name' (or 'manifests') is required for action promote: it names the app's Deployment",
    ],
    [
      { kubeconfig: KUBECONFIG.replace('current-context: x', '') },
      "input 'kubeconfig': the kubeconfig input has no current-context and no context was named; set the context input",
    ],
    // A zero wait timed every rollout out at once (and rolled it back), a zero recovery bound failed every drill.
    [
      { timeout: '0s' },
      "input 'timeout': '0s' is not valid; expected a duration above 0, such as 500ms, 30s, 10m or 1h",
    ],
    [
      { 'ready-timeout': '0m' },
      "input 'ready-timeout': '0m' is not valid; expected a duration above 0, such as 500ms, 30s, 10m or 1h",
    ],
    [
      { 'lease-timeout': '0s' },
      "input 'lease-timeout': '0s' is not valid; expected a duration above 0, such as 500ms, 30s, 10m or 1h",
    ],
    [
      { action: 'drill', 'drill-recovery': '0s' },
      "input 'drill-recovery': '0s' is not valid; expected a duration above 0, such as 500ms, 30s, 10m or 1h",
    ],
    [
      { kubeconfig: KUBECONFIG, context: 'prod' },
      "input 'kubeconfig': the kubeconfig input has no context 'prod'; it has: x",
    ],
  ])('says what is wrong with %j on one line', (inputs, message) => {
    setInputs(inputs);
    expect(readSettings).toThrow(message);
    let thrown: unknown;
    try {
      readSettings();
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toBe(message);
  });

  describe('the SLO file of a drill', () => {
    const slos = (name: string) =>
      `window: 28d\nslos:\n  - name: ${name}\n    objective: 99.5\n    total: http_requests_total{namespace="{{namespace}}"}\n    errors: http_requests_total{namespace="{{namespace}}",code=~"5.."}\n`;
    const analysis = 'checks:\n  - name: errors\n    errorRatio: { errors: \'x{code=~"5.."}\', total: x }\n';

    it('compares the SLOs beside the analysis checks, against the same Prometheus', () => {
      setInputs({
        action: 'drill',
        slos: slos('availability'),
        analysis,
        'prometheus-url': 'http://127.0.0.1:9',
      });
      const { drill, analysis: canary } = readSettings();
      expect(drill?.slo?.spec.checks.map((check) => [check.name, check.absoluteTolerance])).toEqual([
        ['errors', 0],
        ['availability', 0.005],
      ]);
      expect(drill?.slo?.prometheusUrl).toBe('http://127.0.0.1:9');
      // The canary analysis between steps keeps only its own checks.
      expect(canary?.spec.checks.map((check) => check.name)).toEqual(['errors']);
      clearInputs();
      setInputs({
        kubeconfig: KUBECONFIG,
        name: 'shop',
        action: 'drill',
        slos: slos('a'),
        'prometheus-url': 'http://p',
      });
      expect(readSettings().drill?.slo?.spec).toMatchObject({
        source: "input 'slos'",
        checks: [{ name: 'a' }],
      });
    });

    it.each<[Record<string, string>, string]>([
      [
        { slos: 'slos: []' },
        "input 'slos' applies to a drill (action: drill, or the drill input of a blue-green or canary deploy)",
      ],
      [{ action: 'drill', slos: 'slos: []' }, "input 'prometheus-url' is required when 'slos' is given"],
      [
        { action: 'drill', slos: 'x', analysis: 'y' },
        "input 'prometheus-url' is required when 'analysis' is given",
      ],
      // Checked before the deploy, not found by the first query after it; its password never printed.
      [
        { action: 'drill', slos: slos('a'), 'prometheus-url': 'prometheus:9090' },
        "input 'prometheus-url': 'prometheus:9090' is not valid; expected an http:// or https:// URL",
      ],
      [
        { strategy: 'canary', analysis, 'prometheus-url': 'ftp://gate:pr0m-s3cret@prometheus' },
        "input 'prometheus-url': 'ftp://***@prometheus' is not valid; expected an http:// or https:// URL",
      ],
    ])('refuses %j', (inputs, message) => {
      setInputs(inputs);
      expect(readSettings).toThrow(message);
    });

    it('masks the password of the Prometheus URL', () => {
      const written: string[] = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
        written.push(String(text));
        return true;
      });
      setInputs({
        action: 'drill',
        slos: slos('a'),
        'prometheus-url': 'https://gate:pr%40m-s3cret@prom.example',
      });
      expect(readSettings().drill?.slo?.prometheusUrl).toBe('https://gate:pr%40m-s3cret@prom.example');
      // The workflow command escapes % as %25.
      expect(written.join('')).toContain('::add-mask::pr%2540m-s3cret');
      expect(written.join('')).toContain('::add-mask::pr@m-s3cret');
    });

    it('refuses an SLO named like an analysis check, and one it cannot shift to the window before', () => {
      setInputs({ action: 'drill', slos: slos('errors'), analysis, 'prometheus-url': 'http://p' });
      expect(readSettings).toThrow(
        "input 'slos': SLO 'errors' has the name of a check in 'analysis'; rename one",
      );
      setInputs({
        analysis: '',
        slos: `version: prometheus/v1
service: api
slos:
  - name: fixed
    objective: 99
    sli: { events: { error_query: 'sum(rate(e[5m]))', total_query: 'sum(rate(t[5m]))' } }
`,
      });
      expect(readSettings).toThrow(
        /^input 'slos': SLO 'fixed' \(.*\): 'sum\(rate\(t\[5m\]\)\)' is neither a counter selector nor a query using \{\{window\}\}$/,
      );
    });
  });

  it('says which fault is wrong and what a fault looks like', () => {
    setInputs({ action: 'drill', drill: 'pod-kil 50%' });
    expect(readSettings).toThrow(/^input 'drill': 'pod-kil 50%' is not a fault; expected [^\n]+$/);
  });

  it('refuses manifests outside the workspace', () => {
    setInputs({ manifests: '/etc/hostname' });
    expect(readSettings).toThrow(
      /^input 'manifests': '\/etc\/hostname' resolves to \/etc\/hostname, outside the workspace .*; expected a path inside the workspace$/,
    );
  });
});

describe('k8s-rollout inputError', () => {
  it.each<[Error, string]>([
    [
      new ManifestError("'deploy/*.yaml' matches no file (relative to /w)"),
      "input 'manifests': 'deploy/*.yaml' matches no file (relative to /w)",
    ],
    [
      new NothingToFinishError('promote needs Deployment shop/web-green, which does not exist', 'promote'),
      "input 'action': promote needs Deployment shop/web-green, which does not exist",
    ],
    [
      new TrafficRouterError('HTTPRoute shop/web has no rule with a backendRef to Service web', 'HTTPRoute'),
      "input 'route': HTTPRoute shop/web has no rule with a backendRef to Service web",
    ],
    [
      new TrafficRouterError('Ingress shop/web does not exist', 'Ingress'),
      "input 'ingress': Ingress shop/web does not exist",
    ],
    [
      new RouterNeededError(
        'the canary of shop/web runs behind exact weights (Service web-canary exists)',
        'abort',
      ),
      "input 'traffic': the canary of shop/web runs behind exact weights (Service web-canary exists); give the 'traffic' and 'route' or 'ingress' inputs of its deploy to abort it",
    ],
    [
      new ContainerNotFoundError(
        "no container's image has the repository docker.io/library/x (containers: a/b (y:1))",
        undefined,
      ),
      "input 'image': no container's image has the repository docker.io/library/x (containers: a/b (y:1)); expected the 'container' input to name one",
    ],
    [
      new ContainerNotFoundError("no Deployment has a container named 'z'; containers: a/b (y:1)", 'z'),
      "input 'container': no Deployment has a container named 'z'; containers: a/b (y:1)",
    ],
    [
      new LeaseHeldError(
        'another rollout of shop/web is in progress: Lease shop/gin-deploy-web is held by ci',
        'ci',
      ),
      'another rollout of shop/web is in progress: Lease shop/gin-deploy-web is held by ci; wait for it, or raise lease-wait',
    ],
  ])('puts case %# in input names', (error, message) => {
    expect((inputError(error) as Error).message).toBe(message);
  });

  it('leaves other errors as they are', () => {
    const errors = [
      new RolloutError('app.yaml:1 (Gadget/g): no kind'),
      new KubeconfigError('text', ' is empty'),
      new Error('x'),
    ];
    for (const error of errors) expect(inputError(error)).toBe(error);
  });
});
