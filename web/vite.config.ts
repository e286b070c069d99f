import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './precompress.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.DOST_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), precompress()],
  css: { postcss: root },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // No public source maps: the built app is served as is, and a map would publish the source.
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': apiTarget,
      '/openapi.json': apiTarget,
      '/docs': apiTarget,
      '/healthz': apiTarget,
    },
  },
});
