// The recipe's LazyConnection: one socket per thread, kept in a ThreadLocal (Python's threading.local), plus
// the `test()` function each thread runs. Loaded by the main thread and by every worker of recipe 12.6.
import { Socket } from "node:net";
import { threadId } from "node:worker_threads";
import { ContextLocal, ThreadLocal } from "@weft/local-storage";

export interface Address {
  host: string;
  port: number;
}

/** Carried from the thread that starts a worker into it (snapshot() / runWith()). */
export const requestId = new ContextLocal<string>({ name: "requestId", propagate: true, default: "-" });

/** How many times this thread's ThreadLocal ran `init`. */
let inits = 0;

/** A connection opened lazily, once per thread; `await using` closes it (Python's `with conn as s`). */
export class LazyConnection {
  readonly address: Address;
  readonly #local = new ThreadLocal<{ sock?: Socket }>({
    init: () => {
      inits++;
      return {};
    },
  });

  constructor(address: Address) {
    this.address = address;
  }

  async enter(): Promise<{ sock: Socket } & AsyncDisposable> {
    const local = this.#local.get();
    if (local.sock) throw new Error("Already connected");
    const sock = new Socket();
    local.sock = sock;
    await new Promise<void>((resolve, reject) => {
      sock.once("error", reject);
      sock.connect(this.address.port, this.address.host, resolve);
    });
    return {
      sock,
      [Symbol.asyncDispose]: async () => {
        sock.destroy();
        delete local.sock;
      },
    };
  }
}

/** What one thread saw. */
export interface Report {
  thread: number;
  requestId: string;
  bytes: number[];
  inits: number;
}

/** The recipe's test(): fetch /index.html over this thread's connection, `times` times in a row. */
export async function test(conn: LazyConnection, times: number): Promise<Report> {
  const bytes: number[] = [];
  for (let i = 0; i < times; i++) {
    await using s = await conn.enter();
    s.sock.write("GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    let received = 0;
    for await (const chunk of s.sock) received += (chunk as Buffer).length;
    bytes.push(received);
  }
  return { thread: threadId, requestId: requestId.get(), bytes, inits };
}
