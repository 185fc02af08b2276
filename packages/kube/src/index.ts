export * from './client.js';
export * from './discovery.js';
export * from './errors.js';
export * from './kubeconfig.js';
export * from './objects.js';
export * from './watch.js';
