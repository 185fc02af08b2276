import { findCredentials, type Credentials } from './auth.js';
import { isPlainHttp, RegistryClient } from './registry.js';

export interface RegistryAccessOptions {
  /** The registry the image goes to: the only one the explicit credentials are for. */
  target: string;
  username?: string;
  password?: string;
  /** Hosts (with port) reached over plain HTTP besides localhost and 127.0.0.1. */
  insecureRegistries: readonly string[];
  log?: (message: string) => void;
}

/**
 * The one place that decides which credentials reach which registry (the explicit ones for the target
 * registry; else GITHUB_TOKEN for ghcr.io or the Docker configuration), and one client per registry.
 */
export class RegistryAccess {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(private readonly options: RegistryAccessOptions) {}

  credentials(domain: string): Credentials | undefined {
    const { target, username, password } = this.options;
    return findCredentials(domain, domain === target ? { username, password } : {});
  }

  client(domain: string): RegistryClient {
    let client = this.clients.get(domain);
    if (!client) {
      client = new RegistryClient(domain, {
        credentials: this.credentials(domain),
        insecureRegistries: this.options.insecureRegistries,
        log: this.options.log,
      });
      this.clients.set(domain, client);
    }
    return client;
  }

  isPlainHttp(domain: string): boolean {
    return isPlainHttp(domain, this.options.insecureRegistries);
  }
}
