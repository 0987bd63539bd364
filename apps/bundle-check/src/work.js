// A module task: imported inside the workers, so it is shipped beside the bundle as work.js.
export function digest(text) {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `${text}:${hash}`;
}
