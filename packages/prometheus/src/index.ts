export * from './auth.js';
export * from './client.js';
export * from './errors.js';
export * from './vector.js';
