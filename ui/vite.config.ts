import { defineConfig } from "vite";

// The page is loaded by the Tauri webview (WebKitGTK) from disk, so asset
// paths must be relative and the syntax no newer than ES2021.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
  },
});
