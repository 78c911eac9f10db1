export * from './errors.ts';
export * from './model.ts';
export * from './http.ts';
export * from './signaling.ts';
export * from './auth.ts';
export * from './whiteboard.ts';
export * from './annotations.ts';
