// The runner's state file hands values from one phase of a step (main) to a later one (post).
export { getState, saveState } from '@actions/core';
