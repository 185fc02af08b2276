import { UserError, warning } from '@gin-deploy/action';
import { userFinding, type LintFinding } from '@gin-deploy/dockerfile';
import type { Settings } from './settings.js';

/** One policy for both builders: under lint: strict any finding fails the step, under warn each is annotated. */
export function enforceLint(settings: Settings, findings: readonly LintFinding[], file: string): void {
  if (settings.lint === 'strict' && findings.length > 0) {
    const first = findings[0];
    throw new UserError(
      `input 'lint' is strict and ${file} has ${findings.length} finding(s); line ${first.line}: ${first.message} (${first.rule})`,
    );
  }
  for (const finding of findings)
    warning(`${finding.message} (${finding.rule})`, { file, startLine: finding.line });
}

/** The user an assembled image runs as, under the same policy as a Dockerfile's final USER. */
export function enforceImageUser(settings: Settings): void {
  if (settings.lint === 'off') return;
  const finding = userFinding(settings.user);
  if (!finding) return;
  if (settings.lint === 'strict')
    throw new UserError(`input 'lint' is strict and input 'user': ${finding.message} (${finding.rule})`);
  warning(`input 'user': ${finding.message} (${finding.rule})`);
}
