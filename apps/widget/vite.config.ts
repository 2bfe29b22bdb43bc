import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const server = 'http://127.0.0.1:8080';

/** The customer web phone, served by the platform at /phone/. */
export default defineConfig({
  base: '/phone/',
  plugins: [react()],
  resolve: {
    // The workspace packages publish their TypeScript sources under the `source` condition.
    conditions: ['source', ...defaultClientConditions],
  },
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': { target: server, ws: true, changeOrigin: false } } },
});
