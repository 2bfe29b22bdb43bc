import { defaultClientConditions, defineConfig } from 'vite';

/**
 * The web chat widget, chat.js: one classic script (IIFE) that third-party pages load, served
 * by the platform at /chat.js. Built after the web phone into the same dist/ (not emptied).
 */
export default defineConfig({
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    lib: {
      entry: 'src/chat/main.ts',
      formats: ['iife'],
      name: 'ParleyChat',
      fileName: () => 'chat.js',
    },
  },
});
