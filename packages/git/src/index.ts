export * from './git.js';
export * from './github-release.js';
export * from './release-tag.js';
