// Imported first by every action's entry: the default handling of cancellation is in place before the rest of
// the bundle loads (see stopOnCancel).
import { stopOnCancel } from './cancel.js';

stopOnCancel();
