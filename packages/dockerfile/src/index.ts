export * from './build.js';
export * from './buildah.js';
export * from './buildx.js';
export * from './docker-config.js';
export * from './hardening.js';
export * from './lint.js';
export * from './parse.js';
export * from './template.js';
