export * from './chart.js';
export * from './cost.js';
export * from './forecast.js';
export * from './history.js';
export * from './plan.js';
export * from './quantity.js';
export * from './queries.js';
export * from './replicas.js';
