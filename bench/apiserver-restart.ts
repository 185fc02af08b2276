// Used by bench/k8s-rollout.sh: waits until Deployment <namespace>/<name> starts rolling out a new template,
// restarts the test cluster's kube-apiserver (down for <down-ms>), and prints `ready` once /readyz answers
// ok again. Stays alive while it supervises the controllers (see restartApiServer).
//   scripts/run-ts.sh bench/apiserver-restart.ts <kubeconfig> <namespace> <name> <down-ms>
import { kubectl, restartApiServer } from '../test/support/cluster.js';

const [kubeconfig, namespace, name, downMs] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rollingOut(): Promise<boolean> {
  const text = await kubectl(kubeconfig, ['-n', namespace, 'get', 'deployment', name, '-o', 'json']);
  const deployment = JSON.parse(text) as {
    metadata: { generation: number };
    status: { observedGeneration?: number; updatedReplicas?: number; replicas?: number };
  };
  const { observedGeneration = 0, updatedReplicas = 0, replicas = 0 } = deployment.status;
  return (
    observedGeneration === deployment.metadata.generation &&
    updatedReplicas >= 1 &&
    replicas > updatedReplicas
  );
}

const generation = JSON.parse(
  await kubectl(kubeconfig, ['-n', namespace, 'get', 'deployment', name, '-o', 'json']),
).metadata.generation as number;
console.log(`waiting (generation ${generation})`);
for (;;) {
  const text = await kubectl(kubeconfig, [
    '-n',
    namespace,
    'get',
    'deployment',
    name,
    '-o',
    'jsonpath={.metadata.generation}',
  ]);
  if (Number(text) > generation && (await rollingOut())) break;
  await sleep(100);
}
await restartApiServer(kubeconfig, Number(downMs));
console.log('restarted');
for (;;) {
  const ready = await kubectl(kubeconfig, ['get', '--raw', '/readyz'], undefined, 2000).catch(() => '');
  if (ready === 'ok') break;
  await sleep(100);
}
console.log('ready');
await sleep(45_000);
