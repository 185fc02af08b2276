import { Outputs, requiredInput, UserError } from '@gin-deploy/action';

export async function main(): Promise<void> {
  requiredInput('prometheus-url');
  new Outputs().publish();
  throw new UserError('slo-gate is not built yet');
}
