export * from './file-commands.js';
export * from './metadata.js';
export * from './run-action.js';
export * from './secret-masker.js';
