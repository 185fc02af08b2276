export * from './buildah.js';
export * from './buildx.js';
export * from './lint.js';
export * from './parse.js';
export * from './template.js';
