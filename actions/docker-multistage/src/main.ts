import { Outputs, requiredInput, UserError } from '@gin-deploy/action';

export async function main(): Promise<void> {
  requiredInput('image');
  new Outputs().publish();
  throw new UserError('docker-multistage is not built yet');
}
