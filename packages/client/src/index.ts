export * from './http.js';
export * from './realtime.js';
export * from './toolbar-state.js';
