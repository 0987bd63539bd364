/**
 * Where the thread worker entry is: `worker.js` beside the built module (tsup emits it as a second entry; the
 * CommonJS build gets `import.meta.url` from tsup's shim). When this file runs from source (tests importing
 * ../src), the entry is taken from the package's dist, which the build produces.
 */
export function workerEntryUrl(): URL {
  const here = import.meta.url;
  return new URL(/\.[cm]?ts$/.test(here) ? "../dist/worker.js" : "./worker.js", here);
}
