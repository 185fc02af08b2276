export * from './buildinfo.js';
export * from './spdx.js';
