// The hash router. The state lives in router.svelte.ts (runes need a .svelte.ts file);
// import from here.
export * from "./router.svelte";
