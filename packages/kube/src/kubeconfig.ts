import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/** Everything needed to talk to one API server, resolved from a kubeconfig context or the pod's service account. */
export interface Connection {
  server: string;
  /** PEM text. */
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  username?: string;
  password?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  /** The context's namespace, if it names one. */
  namespace?: string;
  /** Where the settings came from, for messages: a file, 'text', or 'in-cluster'. */
  source: string;
  context?: string;
}

/** Where a kubeconfig came from: a file, text given as it is, or nowhere (none was found). */
export type KubeconfigSource = { file: string } | 'text' | 'nowhere';

/** A kubeconfig that cannot be used: where it came from and what is wrong with it. */
export class KubeconfigError extends Error {
  constructor(
    readonly from: KubeconfigSource,
    /** What is wrong, said after where it came from: ` is not valid YAML: …`, `: cluster 'c' has no server`. */
    readonly detail: string,
    /** No context was named and the kubeconfig has no current-context. */
    readonly needsContext = false,
  ) {
    super(
      `${from === 'text' ? 'the kubeconfig text' : from === 'nowhere' ? 'no kubeconfig' : from.file}${detail}`,
    );
    this.name = 'KubeconfigError';
  }
}

/** A `- name: x` entry of the contexts, clusters or users list, with its `context:`/`cluster:`/`user:` body. */
interface NamedEntry {
  name: string;
  [kind: string]: unknown;
}

interface RawKubeconfig {
  'current-context'?: string;
  contexts?: NamedEntry[];
  clusters?: NamedEntry[];
  users?: NamedEntry[];
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface LoadOptions {
  /** Kubeconfig YAML text or a path to it; absent: $KUBECONFIG, ~/.kube/config, then in-cluster. */
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  /** For tests: where the service account files live. */
  serviceAccountDir?: string;
}

/** Resolves the connection the way kubectl does, from an explicit kubeconfig, the environment, or the pod. */
export function loadConnection(options: LoadOptions = {}): Connection {
  const env = options.env ?? process.env;
  if (options.kubeconfig !== undefined) {
    // A path never holds a newline or starts a mapping; kubeconfig content always does one or the other.
    const looksLikeContent =
      /\n/.test(options.kubeconfig) ||
      options.kubeconfig.trimStart().startsWith('{') ||
      /^\s*(apiVersion|kind|clusters)\s*:/m.test(options.kubeconfig);
    if (looksLikeContent) return fromText(options.kubeconfig, 'text', options.context);
    return fromFile(options.kubeconfig, options.context);
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).find((file) => file && existsSync(file));
  if (fromEnv) return fromFile(fromEnv, options.context);
  const home = path.join(env.HOME ?? os.homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFile(home, options.context);
  const inCluster = loadInCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (inCluster) return inCluster;
  throw new KubeconfigError(
    'nowhere',
    ': none given, no KUBECONFIG or ~/.kube/config, and no service account of a pod in a cluster',
  );
}

function fromFile(file: string, context?: string): Connection {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new KubeconfigError(
      { file },
      `: cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return fromText(text, file, context, path.dirname(path.resolve(file)));
}

/**
 * Parses kubeconfig YAML and resolves one context; relative file paths resolve against baseDir. `source` is
 * the file it was read from, or `text`.
 */
export function fromText(
  text: string,
  source: string,
  contextName?: string,
  baseDir = process.cwd(),
): Connection {
  const from: KubeconfigSource = source === 'text' ? 'text' : { file: source };
  let raw: RawKubeconfig;
  try {
    raw = parse(text) as RawKubeconfig;
  } catch (error) {
    throw new KubeconfigError(from, ` is not valid YAML: ${firstLine((error as Error).message)}`);
  }
  if (raw === null || typeof raw !== 'object' || !Array.isArray(raw.clusters)) {
    throw new KubeconfigError(from, ' is not a kubeconfig: it has no clusters list');
  }
  const name = contextName ?? raw['current-context'];
  if (!name) throw new KubeconfigError(from, ' has no current-context and no context was named', true);
  const context = pick(raw.contexts, name, 'context', from);
  const clusterName = field(context, 'cluster');
  const cluster = pick(raw.clusters, clusterName, 'cluster', from);
  const userName = field(context, 'user');
  const user = userName ? pick(raw.users, userName, 'user', from) : {};
  const server = field(cluster, 'server');
  if (!server) throw new KubeconfigError(from, `: cluster '${clusterName}' has no server`);
  if (!/^https?:\/\//.test(server)) {
    throw new KubeconfigError(from, `: cluster '${clusterName}' server '${server}' is not an http(s) URL`);
  }
  if (user.exec || user['auth-provider']) {
    throw new KubeconfigError(
      from,
      `: user '${userName}' authenticates with an exec or auth-provider plugin, which is not supported; use a token or client certificate`,
    );
  }
  const read = (dataKey: string, fileKey: string, entry: Record<string, unknown>): string | undefined => {
    const data = field(entry, dataKey);
    if (data) return Buffer.from(data, 'base64').toString('utf8');
    const file = field(entry, fileKey);
    if (!file) return undefined;
    try {
      return readFileSync(path.resolve(baseDir, file), 'utf8');
    } catch (error) {
      throw new KubeconfigError(
        from,
        `: cannot read ${fileKey} ${file}: ${(error as NodeJS.ErrnoException).code}`,
      );
    }
  };
  const tokenFile = field(user, 'tokenFile');
  const token =
    field(user, 'token') ??
    (tokenFile ? readFileSync(path.resolve(baseDir, tokenFile), 'utf8').trim() : undefined);
  return {
    server: server.replace(/\/+$/, ''),
    ca: read('certificate-authority-data', 'certificate-authority', cluster),
    cert: read('client-certificate-data', 'client-certificate', user),
    key: read('client-key-data', 'client-key', user),
    token,
    username: field(user, 'username'),
    password: field(user, 'password'),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: field(cluster, 'tls-server-name'),
    namespace: field(context, 'namespace'),
    source,
    context: name,
  };
}

function pick(
  list: NamedEntry[] | undefined,
  name: string | undefined,
  kind: 'context' | 'cluster' | 'user',
  from: KubeconfigSource,
): Record<string, unknown> {
  const entry = (list ?? []).find((item) => item && item.name === name);
  if (!entry) {
    const known = (list ?? []).map((item) => item?.name).filter(Boolean);
    throw new KubeconfigError(
      from,
      ` has no ${kind} '${name ?? ''}'${known.length ? `; it has: ${known.join(', ')}` : ''}`,
    );
  }
  const body = entry[kind];
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

function field(from: Record<string, unknown>, key: string): string | undefined {
  const value = from[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function loadInCluster(env: NodeJS.ProcessEnv, dir: string): Connection | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = path.join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const namespaceFile = path.join(dir, 'namespace');
  return {
    server: `https://${hostPart}:${port}`,
    ca: readFileSync(path.join(dir, 'ca.crt'), 'utf8'),
    token: readFileSync(tokenFile, 'utf8').trim(),
    namespace: existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined,
    source: 'in-cluster',
  };
}

/** The values that must never reach a log. */
export function secretsOf(connection: Connection): string[] {
  const secrets = [connection.token, connection.password];
  // PEM blocks are masked line by line: the runner matches masks within a line.
  const pemLines = (connection.key ?? '')
    .split(/\r?\n/)
    .filter((line) => line.length >= 16 && !line.startsWith('-----'));
  return [...secrets, ...pemLines].filter((value): value is string => Boolean(value));
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
