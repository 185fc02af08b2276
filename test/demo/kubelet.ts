import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { kubectl } from '../support/cluster.js';
import { imageBundle } from './image-bundle.js';

/**
 * A stand-in kubelet for the demo: a Node that KWOK does not manage, whose pods run as real host processes
 * (the image's linux/amd64 entrypoint, unpacked by skopeo and umoci), each on its own loopback address, with
 * the pod's readiness and liveness probes sent to the real process. KWOK simulates pod status; this serves.
 */

interface Probe {
  httpGet?: { path?: string; port: number | string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

interface Pod {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string };
  spec: { nodeName?: string; containers: Container[] };
}

interface RunningContainer {
  child?: ChildProcess;
  /** The image the running process came from. */
  image?: string;
  startedAt?: string;
  restarts: number;
  ready: boolean;
  waiting?: { reason: string; message: string };
  lastTerminated?: { exitCode: number; reason: string; finishedAt: string };
  probeFailures: number;
  livenessFailures: number;
  nextProbe: number;
  restartAt?: number;
}

interface PodRecord {
  pod: Pod;
  ip: string;
  started: string;
  containers: Map<string, RunningContainer>;
  reported?: string;
}

export interface KubeletOptions {
  kubeconfig: string;
  nodeName: string;
  stateDir: string;
  log: (line: string) => void;
}

export class DemoKubelet {
  private readonly pods = new Map<string, PodRecord>();
  private readonly usedIps = new Set<string>();
  // All of 127.0.0.0/8 is loopback: a random /24 of it per kubelet keeps two kubelets running side by side
  // (test files in parallel workers, the demo) from giving two pods one address.
  private readonly ipPrefix = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.`;
  private lastHeartbeat = 0;
  private stopped = false;

  constructor(private readonly options: KubeletOptions) {}

  private kubectl(args: string[], input?: string): Promise<string> {
    return kubectl(this.options.kubeconfig, ['--request-timeout=10s', ...args], input, 20_000);
  }

  async run(): Promise<void> {
    await this.registerNode();
    while (!this.stopped) {
      try {
        await this.heartbeat();
        await this.sync();
      } catch (error) {
        this.options.log(`sync failed: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  stop(): void {
    this.stopped = true;
    for (const record of this.pods.values())
      for (const container of record.containers.values()) container.child?.kill('SIGTERM');
  }

  private async registerNode(): Promise<void> {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.options.nodeName,
        labels: {
          'kubernetes.io/hostname': this.options.nodeName,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'gin-deploy.demo/kubelet': 'true',
        },
      },
    };
    await this.kubectl(
      ['apply', '--server-side', '--field-manager=gin-deploy-demo-kubelet', '-f', '-'],
      JSON.stringify(node),
    );
    this.lastHeartbeat = 0;
    await this.heartbeat();
  }

  private async heartbeat(): Promise<void> {
    if (Date.now() - this.lastHeartbeat < 10_000) return;
    const now = new Date().toISOString();
    const status = {
      status: {
        capacity: { cpu: '8', memory: '16Gi', pods: '110' },
        allocatable: { cpu: '8', memory: '16Gi', pods: '110' },
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'gin-deploy demo kubelet',
            lastHeartbeatTime: now,
            lastTransitionTime: now,
          },
        ],
        nodeInfo: { kubeletVersion: 'gin-deploy-demo', architecture: 'amd64', operatingSystem: 'linux' },
      },
    };
    await this.kubectl([
      'patch',
      'node',
      this.options.nodeName,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(status),
    ]);
    this.lastHeartbeat = Date.now();
  }

  private async sync(): Promise<void> {
    const list = JSON.parse(
      await this.kubectl([
        'get',
        'pods',
        '-A',
        '--field-selector',
        `spec.nodeName=${this.options.nodeName}`,
        '-o',
        'json',
      ]),
    ) as { items: Pod[] };
    const seen = new Set<string>();
    for (const pod of list.items) {
      seen.add(pod.metadata.uid);
      let record = this.pods.get(pod.metadata.uid);
      if (pod.metadata.deletionTimestamp) {
        await this.terminate(pod, record);
        continue;
      }
      if (!record) {
        record = { pod, ip: this.allocateIp(), started: new Date().toISOString(), containers: new Map() };
        this.pods.set(pod.metadata.uid, record);
        this.options.log(`pod ${pod.metadata.namespace}/${pod.metadata.name} on ${record.ip}`);
      }
      record.pod = pod;
      for (const container of pod.spec.containers) await this.syncContainer(record, container);
      await this.reportStatus(record);
    }
    for (const [uid, record] of this.pods) {
      if (!seen.has(uid)) this.forget(uid, record);
    }
  }

  private allocateIp(): string {
    for (let octet = 2; octet < 255; octet++) {
      const ip = `${this.ipPrefix}${octet}`;
      if (!this.usedIps.has(ip)) {
        this.usedIps.add(ip);
        return ip;
      }
    }
    throw new Error('no loopback address left for another pod');
  }

  private async syncContainer(record: PodRecord, container: Container): Promise<void> {
    let state = record.containers.get(container.name);
    if (!state) {
      state = { restarts: 0, ready: false, probeFailures: 0, livenessFailures: 0, nextProbe: 0 };
      record.containers.set(container.name, state);
    }
    if (state.image !== undefined && state.image !== container.image) {
      // As the kubelet does when a container's spec changes (an image patched on the pod): kill and recreate.
      const child = state.child;
      state.child = undefined;
      state.ready = false;
      state.restarts++;
      state.restartAt = undefined;
      child?.kill('SIGKILL');
    }
    if (!state.child && (state.restartAt === undefined || Date.now() >= state.restartAt)) {
      await this.start(record, container, state);
    }
    if (state.child && Date.now() >= state.nextProbe) await this.probe(record, container, state);
  }

  private async start(record: PodRecord, container: Container, state: RunningContainer): Promise<void> {
    state.image = container.image;
    let bundle;
    try {
      bundle = await imageBundle(container.image, path.join(this.options.stateDir, 'images'));
    } catch (error) {
      state.waiting = { reason: 'ErrImagePull', message: (error as Error).message.slice(0, 300) };
      state.restartAt = Date.now() + 5000;
      return;
    }
    const port = container.ports?.[0]?.containerPort ?? 8080;
    const env: Record<string, string> = Object.fromEntries(
      bundle.env.map((pair) => pair.split(/=(.*)/s).slice(0, 2)),
    );
    for (const variable of container.env ?? [])
      if (variable.value !== undefined) env[variable.name] = variable.value;
    env.PORT = String(port);
    env.ADDR = `${record.ip}:${port}`;
    const logDir = path.join(this.options.stateDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const logFile = openSync(path.join(logDir, `${record.pod.metadata.name}_${container.name}.log`), 'a');
    const child = spawn(bundle.program, bundle.args, { env, stdio: ['ignore', logFile, logFile] });
    state.child = child;
    state.startedAt = new Date().toISOString();
    state.waiting = undefined;
    state.ready = false;
    state.probeFailures = 0;
    state.livenessFailures = 0;
    state.nextProbe = Date.now() + (container.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
    child.on('exit', (code, signal) => {
      if (state.child !== child) return;
      state.child = undefined;
      state.ready = false;
      state.restarts++;
      state.lastTerminated = {
        exitCode: code ?? 137,
        reason: signal ? 'Killed' : 'Error',
        finishedAt: new Date().toISOString(),
      };
      const backoff = Math.min(10_000, 1000 * 2 ** Math.min(state.restarts, 4));
      state.waiting = {
        reason: 'CrashLoopBackOff',
        message: `back-off ${backoff / 1000}s restarting failed container`,
      };
      state.restartAt = Date.now() + backoff;
    });
  }

  private async probe(record: PodRecord, container: Container, state: RunningContainer): Promise<void> {
    const readiness = container.readinessProbe;
    const liveness = container.livenessProbe;
    // Probes run at most every 2 s here, so the demo reacts quickly whatever periodSeconds says.
    state.nextProbe = Date.now() + Math.min(2, readiness?.periodSeconds ?? 10) * 1000;
    if (readiness?.httpGet) {
      const ok = await this.httpProbe(record, container, readiness);
      state.probeFailures = ok ? 0 : state.probeFailures + 1;
      if (ok) state.ready = true;
      else if (state.probeFailures >= (readiness.failureThreshold ?? 3)) state.ready = false;
    } else {
      state.ready = true;
    }
    if (liveness?.httpGet && !(await this.httpProbe(record, container, liveness))) {
      state.livenessFailures++;
      if (state.livenessFailures >= (liveness.failureThreshold ?? 3)) {
        this.options.log(`liveness failed for ${record.pod.metadata.name}/${container.name}; restarting`);
        state.child?.kill('SIGKILL');
      }
    } else {
      state.livenessFailures = 0;
    }
  }

  private async httpProbe(record: PodRecord, container: Container, probe: Probe): Promise<boolean> {
    const port =
      typeof probe.httpGet!.port === 'number'
        ? probe.httpGet!.port
        : (container.ports?.find((p) => p.name === probe.httpGet!.port)?.containerPort ??
          Number(probe.httpGet!.port));
    try {
      const response = await fetch(`http://${record.ip}:${port}${probe.httpGet!.path ?? '/'}`, {
        signal: AbortSignal.timeout(1000),
      });
      await response.arrayBuffer();
      return response.status >= 200 && response.status < 400;
    } catch {
      return false;
    }
  }

  private async reportStatus(record: PodRecord): Promise<void> {
    const now = new Date().toISOString();
    const containerStatuses = record.pod.spec.containers.map((container) => {
      const state = record.containers.get(container.name)!;
      return {
        name: container.name,
        image: container.image,
        imageID: container.image,
        ready: state.ready,
        started: Boolean(state.child),
        restartCount: state.restarts,
        state: state.child
          ? { running: { startedAt: state.startedAt } }
          : { waiting: state.waiting ?? { reason: 'ContainerCreating' } },
        lastState: state.lastTerminated ? { terminated: state.lastTerminated } : {},
      };
    });
    const allReady = containerStatuses.every((status) => status.ready);
    const condition = (type: string, status: boolean) => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: now,
    });
    const status = {
      phase: containerStatuses.some((status) => status.started) ? 'Running' : 'Pending',
      hostIP: '127.0.0.1',
      podIP: record.ip,
      podIPs: [{ ip: record.ip }],
      startTime: record.started,
      conditions: [
        condition('PodScheduled', true),
        condition('Initialized', true),
        condition('ContainersReady', allReady),
        condition('Ready', allReady),
      ],
      containerStatuses,
    };
    // Only changes are sent: the transition times would otherwise move on every sync.
    const fingerprint = JSON.stringify({
      ...status,
      conditions: status.conditions.map((c) => [c.type, c.status]),
      startTime: undefined,
    });
    if (fingerprint === record.reported) return;
    await this.kubectl([
      'patch',
      'pod',
      record.pod.metadata.name,
      '-n',
      record.pod.metadata.namespace,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status }),
    ]);
    record.reported = fingerprint;
  }

  private async terminate(pod: Pod, record: PodRecord | undefined): Promise<void> {
    if (record) this.forget(pod.metadata.uid, record);
    await this.kubectl([
      'delete',
      'pod',
      pod.metadata.name,
      '-n',
      pod.metadata.namespace,
      '--grace-period=0',
      '--force',
      '--wait=false',
    ]).catch(() => undefined);
  }

  private forget(uid: string, record: PodRecord): void {
    for (const container of record.containers.values()) {
      const child = container.child;
      container.child = undefined;
      child?.kill('SIGTERM');
    }
    this.usedIps.delete(record.ip);
    this.pods.delete(uid);
    this.options.log(`pod ${record.pod.metadata.namespace}/${record.pod.metadata.name} stopped`);
  }
}
