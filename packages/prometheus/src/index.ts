export * from './auth.js';
export * from './client.js';
export * from './errors.js';
export * from './headers.js';
export * from './vector.js';
