import {
  durationInput,
  enumInput,
  numberInput,
  optionalInput,
  UserError,
  writePathOf,
} from '@gin-deploy/action';
import { DrillError, parseFault, type FaultSpec } from '@gin-deploy/drill';

export interface DrillSettings {
  fault: FaultSpec;
  durationMs: number;
  recoveryMs: number;
  settleMs: number;
  history?: string;
  historySize: number;
  margin: number;
  regression: 'warn' | 'fail';
}

/** The drill inputs: for `action: drill` (default fault pod-kill 50%), or `drill` during a deploy. */
export function readDrill(action: string, strategy: string): DrillSettings | undefined {
  const text = optionalInput('drill') ?? (action === 'drill' ? 'pod-kill 50%' : undefined);
  if (text === undefined || action === 'promote' || action === 'abort') return undefined;
  if (action === 'deploy' && strategy === 'rolling')
    throw new UserError(
      `input 'drill' during a deploy applies to strategies blue-green (before the Service switch) and canary (before promotion), not rolling; or use action: drill`,
    );
  let fault: FaultSpec;
  try {
    fault = parseFault(text);
  } catch (error) {
    if (error instanceof DrillError) throw new UserError(`input 'drill': ${error.message}`);
    throw error;
  }
  return {
    fault,
    durationMs: durationInput('drill-duration', '30s'),
    recoveryMs: durationInput('drill-recovery', '60s'),
    settleMs: durationInput('drill-settle', '30s'),
    history: historyFile(),
    historySize: numberInput('drill-history-size', 5, { min: 1, integer: true }),
    margin: numberInput('drill-margin', 10, { min: 0, max: 100 }),
    regression: enumInput('drill-regression', ['warn', 'fail'] as const, 'warn'),
  };
}

/** The drill history is read and written back: a path inside the workspace or the runner temp folder. */
function historyFile(): string | undefined {
  const given = optionalInput('drill-history');
  return given === undefined ? undefined : writePathOf('drill-history', given);
}
