import { DemoKubelet } from './kubelet.js';

// demo-kubelet <kubeconfig> <node name> <state dir>: runs until SIGTERM.
const [kubeconfig, nodeName, stateDir] = process.argv.slice(2);
if (!kubeconfig || !nodeName || !stateDir) {
  console.error('usage: demo-kubelet <kubeconfig> <node-name> <state-dir>');
  process.exit(2);
}
const kubelet = new DemoKubelet({
  kubeconfig,
  nodeName,
  stateDir,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    kubelet.stop();
    setTimeout(() => process.exit(0), 500);
  });
}
await kubelet.run();
