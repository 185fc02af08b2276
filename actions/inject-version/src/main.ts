import { optionalInput, Outputs, UserError } from '@gin-deploy/action';

export async function main(): Promise<void> {
  optionalInput('working-directory');
  new Outputs().publish();
  throw new UserError('inject-version is not built yet');
}
