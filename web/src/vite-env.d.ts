/// <reference types="vite/client" />

/** The commit this bundle was built from (12 hex chars), or "dev". */
declare const __BUILD_SHA__: string;
