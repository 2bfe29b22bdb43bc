export * from './agents.js';
export * from './auth.js';
export * from './catalog.js';
export * from './common.js';
export * from './errors.js';
export * from './realtime.js';
export * from './users.js';
export * from './workspace.js';
