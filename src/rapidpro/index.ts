export * from './client/index.js';
export * as definitions from './definitions/index.js';
