import { defineConfig } from 'vite';

// The production build goes straight into the master's resources, so the master jar serves it and CI
// needs no node. Assets land under /static/ (as Mesos' UI), named by content hash.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: '../master/src/main/resources/io/jmesos/webui',
    emptyOutDir: true,
    assetsDir: 'static',
    sourcemap: false,
    target: 'es2020',
  },
  server: {
    // `npm run dev` proxies the master's endpoints to a master on localhost:5050.
    proxy: Object.fromEntries(['/state', '/metrics', '/roles', '/master', '/files'].map((p) => [p, 'http://localhost:5050'])),
  },
});
