import { resolve } from "node:path";
import { defineConfig, type ProxyOptions } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The page is loaded by the Tauri webview (WebKitGTK) from disk, so asset
// paths must be relative and the syntax no newer than ES2021.
//
// `npm run dev` proxies /api and /play to a running listener (LINKARR_DEV_API,
// default http://127.0.0.1:18080). The listener refuses browser Origins it does not
// serve, so the proxy drops the header: to the listener it looks like curl.
const devApi = process.env.LINKARR_DEV_API ?? "http://127.0.0.1:18080";

const proxyToListener: ProxyOptions = {
  target: devApi,
  changeOrigin: true,
  configure: (proxy) => {
    proxy.on("proxyReq", (req) => req.removeHeader("origin"));
    // Node holds response headers until the first body byte, and an idle event stream
    // sends none for 15 s: flush them (after the proxy copied them) so EventSource opens.
    proxy.on("proxyRes", (proxyRes, _req, res) => {
      if (proxyRes.headers["content-type"]?.startsWith("text/event-stream")) {
        queueMicrotask(() => res.flushHeaders());
      }
    });
  },
};

export default defineConfig({
  base: "./",
  plugins: [svelte()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
    // Swagger UI is one large bundle by nature; it only loads on /api/docs.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, "index.html"),
        "api-docs": resolve(import.meta.dirname, "api-docs.html"),
      },
    },
  },
  // The docs page is served by the listener at /api/docs, where "./assets/…" would mean
  // /api/assets/…: its own tags point at /assets/ instead. (The app itself keeps relative
  // paths: the desktop window loads it from disk.)
  experimental: {
    renderBuiltUrl(filename, { hostType, hostId }) {
      if (hostType === "html" && hostId.endsWith("api-docs.html")) return `/${filename}`;
      return { relative: true };
    },
  },
  server: {
    proxy: {
      "/api": proxyToListener,
      "/play": proxyToListener,
    },
  },
});
