import { Outputs, requiredInput, UserError } from '@gin-deploy/action';

export async function main(): Promise<void> {
  requiredInput('image');
  new Outputs().publish();
  throw new UserError('k8s-rollout is not built yet');
}
