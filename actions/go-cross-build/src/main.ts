import { optionalInput, Outputs, requiredInput, UserError } from '@gin-deploy/action';

export async function main(): Promise<void> {
  requiredInput('targets');
  optionalInput('ldflags');
  new Outputs().publish();
  throw new UserError('go-cross-build is not built yet');
}
