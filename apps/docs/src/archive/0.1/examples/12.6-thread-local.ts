// 12.6 Saving thread state
// Python keeps per-thread state in threading.local(): LazyConnection stores each thread's socket there, so one
// LazyConnection object serves several threads, each with its own socket. weft's ThreadLocal does the same
// for worker threads (and pool workers, where the value persists across tasks). ContextLocal adds what Python
// threads get from contextvars: per-request state, here a request id that follows each thread we start.
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { Worker } from "node:worker_threads";
import { snapshot } from "@weft/local-storage";
import { type Address, LazyConnection, type Report, requestId, test } from "./tasks/12.6-lazy-connection.js";

// A local stand-in for www.python.org: answers one HTTP/1.0 request per connection, then closes it.
const page = `<html><body>${"weft ".repeat(40)}</body></html>`;
let connections = 0;
const server = createServer((sock: Socket) => {
  connections++;
  let request = "";
  sock.on("data", (chunk) => {
    request += chunk;
    if (request.endsWith("\r\n\r\n")) {
      sock.end(`HTTP/1.0 200 OK\r\nContent-Length: ${page.length}\r\n\r\n${page}`);
    }
  });
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const { port } = server.address() as { port: number };
const address: Address = { host: "127.0.0.1", port };

// Two threads, as in the Python recipe, each started under its own request id.
function startThread(id: string): Promise<Report> {
  return requestId.run(id, () => {
    const worker = new Worker(new URL("./tasks/12.6-fetch-worker.js", import.meta.url), {
      workerData: { address, snap: snapshot() }, // the request id travels with the thread
    });
    return once(worker, "message").then(([report]) => report as Report);
  });
}
const workers = [startThread("req-1"), startThread("req-2")];

// The main thread uses the same kind of LazyConnection at the same time, with its own socket.
const conn = new LazyConnection(address);
const mine = await test(conn, 2);

for (const r of [mine, ...(await Promise.all(workers))]) {
  const who = r.thread === 0 ? "main thread " : `worker ${r.thread}    `;
  console.log(
    `${who} request ${r.requestId.padEnd(5)}  got ${r.bytes.join(" + ")} bytes` +
      `  (ThreadLocal initialised ${r.inits} time${r.inits === 1 ? "" : "s"} in this thread)`,
  );
}
// Within one thread the connection is shared: entering it twice is an error, as in Python.
{
  await using _outer = await conn.enter();
  try {
    await conn.enter();
  } catch (err) {
    console.log(`main thread, second enter() while connected: ${(err as Error).message}`);
  }
}

console.log(`server saw ${connections} connections, each thread on its own sockets`);
server.close();
