// The entry of dist/actions-cache/index.js: the one copy of @actions/cache that every action bundle loads
// (loadActionsCache in actions-cache.ts).
export * from '@actions/cache';
