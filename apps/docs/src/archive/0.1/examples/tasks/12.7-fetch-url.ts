// Task module of recipe 12.7: Python's fetch_url(url), run inside a pool worker.

/** Downloads a URL and returns its body (the worker's own fetch: no event loop of the caller is used). */
export async function fetchUrl(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}
