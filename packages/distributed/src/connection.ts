// Connection settings for BullMQ's Redis clients: a redis:// or rediss:// URL, or ioredis options (host, port,
// username, password, tls, db, ...). Every key of the options is checked against the ones ioredis knows (an
// unknown one is a PoolOptionError naming the nearest valid name); their values go to the client unchanged.
// Only `host:port` is ever shown in messages and logs, never a username or password.

import { PoolOptionError } from "@weft/pool";
import { nearestName } from "@weft/sync/extension";
import { Redis, type RedisOptions } from "ioredis";

/**
 * Every option of ioredis's `RedisOptions`. `satisfies` ties the list to the installed ioredis's typings: the
 * typecheck fails when an ioredis upgrade adds or drops one, so the list is updated with it.
 */
const TYPED_CONNECTION_KEYS = Object.keys({
  port: true,
  host: true,
  family: true,
  path: true,
  Connector: true,
  retryStrategy: true,
  commandTimeout: true,
  blockingTimeout: true,
  blockingTimeoutGrace: true,
  socketTimeout: true,
  keepAlive: true,
  noDelay: true,
  connectionName: true,
  disableClientInfo: true,
  clientInfoTag: true,
  username: true,
  password: true,
  db: true,
  autoResubscribe: true,
  autoResendUnfulfilledCommands: true,
  reconnectOnError: true,
  readOnly: true,
  stringNumbers: true,
  connectTimeout: true,
  monitor: true,
  maxRetriesPerRequest: true,
  maxLoadingRetryTime: true,
  enableAutoPipelining: true,
  autoPipeliningIgnoredCommands: true,
  offlineQueue: true,
  commandQueue: true,
  enableOfflineQueue: true,
  enableReadyCheck: true,
  lazyConnect: true,
  scripts: true,
  keyPrefix: true,
  showFriendlyErrorStack: true,
  name: true,
  role: true,
  tls: true,
  sentinelUsername: true,
  sentinelPassword: true,
  sentinels: true,
  sentinelRetryStrategy: true,
  sentinelReconnectStrategy: true,
  preferredSlaves: true,
  disconnectTimeout: true,
  sentinelCommandTimeout: true,
  enableTLSForSentinelMode: true,
  sentinelTLS: true,
  natMap: true,
  updateSentinels: true,
  sentinelMaxConnections: true,
  failoverDetector: true,
} satisfies Record<keyof RedisOptions, true>);

/**
 * The keys a `connection` object may have: those of the typings, plus every option the running ioredis has a
 * default for (its `Redis.defaultOptions`, private in its typings: read only when present), so a newer ioredis
 * whose typings this build has not seen still gets its own new options.
 */
const CONNECTION_KEYS: ReadonlySet<string> = new Set([
  ...TYPED_CONNECTION_KEYS,
  ...Object.keys((Redis as unknown as { defaultOptions?: object }).defaultOptions ?? {}),
]);

/**
 * Where Redis is: a `redis://[user:password@]host[:port][/db]` or `rediss://...` (TLS) URL, or ioredis
 * options, whose credentials and `tls` settings go to the client as given. A key that ioredis's
 * `RedisOptions` does not have is a PoolOptionError naming the nearest valid one.
 *
 * @example
 * ```ts
 * const a: RedisConnection = "redis://127.0.0.1:6379";
 * const b: RedisConnection = { host: "redis.internal", port: 6380, password: process.env.REDIS_PASSWORD, tls: {} };
 * ```
 */
export type RedisConnection = string | URL | RedisOptions;

/** Resolved connection settings: the client options and the `host:port` that messages may show. */
export interface ResolvedConnection {
  /** The client options, without the three that weft sets for each client (see {@link clientName}). */
  readonly options: RedisOptions;
  readonly server: string;
  /** The user's `connectionName`, which prefixes the name of every client weft makes. */
  readonly name: string | undefined;
}

/**
 * The `connectionName` of one of weft's clients (what `CLIENT LIST` shows): `weft:<role>`, after the user's
 * own `connectionName` if one was given (`billing:weft:jobs:executor`).
 */
export function clientName(connection: ResolvedConnection, role: string): string {
  return connection.name === undefined ? `weft:${role}` : `${connection.name}:weft:${role}`;
}

/** Checks and resolves a {@link RedisConnection}; a malformed one is a PoolOptionError naming `where`. */
export function resolveConnection(where: string, connection: unknown): ResolvedConnection {
  if (typeof connection === "string" || connection instanceof URL) return fromUrl(where, connection);
  if (typeof connection !== "object" || connection === null || Array.isArray(connection)) {
    throw new PoolOptionError(
      `${where}: connection must be a redis:// URL or ioredis options such as { host, port }, got ${connection === null ? "null" : typeof connection}`,
    );
  }
  for (const key in connection) {
    if (!CONNECTION_KEYS.has(key)) {
      const near = nearestName(key, CONNECTION_KEYS);
      throw new PoolOptionError(
        `${where}: unknown connection option ${JSON.stringify(key)}${near === undefined ? "" : ` (did you mean "${near}"?)`}; ` +
          "connection takes the options of ioredis's RedisOptions (host, port, username, password, tls, db, ...) or a redis:// URL",
      );
    }
  }
  const options = { ...(connection as RedisOptions) };
  if (
    options.port !== undefined &&
    !(Number.isInteger(options.port) && options.port > 0 && options.port < 65536)
  ) {
    const got = typeof options.port === "string" ? JSON.stringify(options.port) : String(options.port);
    throw new PoolOptionError(`${where}: connection.port must be a TCP port (1-65535), got ${got}`);
  }
  // (ioredis's own defaults for these are null.) Only the type is shown: a credential's value is secret.
  for (const key of ["host", "path", "username", "password"] as const) {
    const v = options[key];
    if (v != null && typeof v !== "string") {
      throw new PoolOptionError(`${where}: connection.${key} must be a string, got ${typeof v}`);
    }
  }
  if (options.db != null && !(Number.isInteger(options.db) && options.db >= 0)) {
    const got = typeof options.db === "string" ? JSON.stringify(options.db) : String(options.db);
    throw new PoolOptionError(
      `${where}: connection.db must be an integer >= 0 (a database number), got ${got}`,
    );
  }
  // weft sets these for each client it makes: a value that would be lost is refused, not dropped.
  if (options.lazyConnect !== undefined) {
    throw new PoolOptionError(
      `${where}: connection.lazyConnect cannot be set: weft connects its clients itself (at once, waiting up to connectTimeout); remove it`,
    );
  }
  if (options.maxRetriesPerRequest != null) {
    throw new PoolOptionError(
      `${where}: connection.maxRetriesPerRequest must be null or left out, got ${String(options.maxRetriesPerRequest)}: ` +
        "weft's commands wait for Redis to be back (bounded by their own timeouts and signals), and BullMQ's blocking connections require null",
    );
  }
  const name = options.connectionName;
  if (name !== undefined && (typeof name !== "string" || name === "")) {
    throw new PoolOptionError(
      `${where}: connection.connectionName must be a non-empty string (it prefixes the names of weft's clients), got ${typeof name === "string" ? '""' : typeof name}`,
    );
  }
  delete options.lazyConnect;
  delete options.maxRetriesPerRequest;
  delete options.connectionName;
  const server = options.path ?? `${options.host ?? "127.0.0.1"}:${options.port ?? 6379}`;
  return { options, server, name };
}

function fromUrl(where: string, connection: string | URL): ResolvedConnection {
  let url: URL;
  try {
    url = connection instanceof URL ? connection : new URL(connection);
  } catch {
    throw new PoolOptionError(
      `${where}: connection "${redactUrl(String(connection))}" is not a URL; use redis://host:port or rediss://host:port`,
    );
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw new PoolOptionError(
      `${where}: connection must use redis:// or rediss:// (TLS), got ${url.protocol.replace(/:$/, "")}://`,
    );
  }
  const port = url.port === "" ? 6379 : Number(url.port);
  const options: RedisOptions = { host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", port };
  if (url.username !== "") options.username = decodeURIComponent(url.username);
  if (url.password !== "") options.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, "");
  if (db !== "") {
    if (!/^\d+$/.test(db))
      throw new PoolOptionError(`${where}: the database in the URL must be a number, got "${db}"`);
    options.db = Number(db);
  }
  if (url.protocol === "rediss:") options.tls = {};
  return { options, server: `${options.host}:${port}`, name: undefined };
}

/** A Redis URL with its password (and user name) replaced by `***`, for logs. */
export function redactUrl(text: string): string {
  return text.replace(/^(rediss?:\/\/)[^@/]*@/i, "$1***@");
}

/** Wraps a client error as a RedisConnectionError naming the server (the client's message is the cause). */
export function describeConnectionFailure(
  server: string,
  cause: unknown,
  waited?: number,
  knob = "connectTimeout",
): string {
  const code = cause instanceof Error ? (cause as NodeJS.ErrnoException).code : undefined;
  const why = typeof code === "string" ? code : cause instanceof Error ? cause.message : String(cause);
  const when = waited === undefined ? "" : ` within ${waited} ms`;
  return (
    `could not reach Redis at ${server}${when} (${why}); check that the server runs and the connection ` +
    `settings (host, port, password, tls) are right, or raise ${knob}`
  );
}

/** What {@link withinTimeout} rejects with when time ran out; `cause` is the client's last error. */
export class TimedOut extends Error {}

/** Errors that retrying cannot fix: refused credentials, an unknown host name, a database that does not exist. */
const PERMANENT =
  /WRONGPASS|NOAUTH|NOPERM|ERR AUTH|invalid password|ENOTFOUND|invalid DB index|DB index is out of range/i;

/** Whether a client error is one that retrying cannot fix (see PERMANENT). */
export function isPermanentFailure(err: Error): boolean {
  return PERMANENT.test(`${(err as NodeJS.ErrnoException).code ?? ""} ${err.message}`);
}

/**
 * Resolves when an ioredis client is ready (connected, authenticated, database selected); rejects at once
 * on an error that retrying cannot fix (bad credentials, unknown host), so bad settings fail fast.
 */
export function whenReady(client: Redis): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      if (!isPermanentFailure(err)) return;
      client.off("ready", onReady);
      client.off("error", onError);
      reject(err);
    };
    const onReady = (): void => {
      client.off("error", onError);
      resolve();
    };
    client.once("ready", onReady);
    client.on("error", onError);
  });
}

export function withinTimeout<T>(promise: Promise<T>, ms: number, lastError: () => unknown): Promise<T> {
  if (!Number.isFinite(ms) || ms === 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Object.assign(new TimedOut("timed out"), { cause: lastError() })),
      ms,
    );
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** The parts of an ioredis client that {@link closeClient} needs beyond its public API. */
interface ClientInternals {
  setStatus(status: string): void;
  flushQueue(error: Error): void;
  /** Commands in flight when the connection dropped, kept to be sent again once it is back. */
  prevCommandQueue?: { length: number; shift(): { command?: { reject(e: Error): void } } | undefined } | null;
}

/**
 * Ends an ioredis client now, in whatever state it is (its pending commands reject with "Connection is closed.").
 * `disconnect()` alone does not end a client that waits to reconnect (Redis went away: its socket is closed and
 * a reconnection is scheduled). ioredis then never emits 'end' and never settles the commands it holds (ioredis
 * issue #1247; BullMQ's close waits for that 'end', so it hung for ever), and it arms a 2 s timer
 * (`disconnectTimeout`) waiting for a 'close' of that socket that happened long before, which kept a program
 * alive 2 s after it had closed everything. For such a client this does what ioredis does when a socket closes
 * after `disconnect()`: the client ends and its queues are flushed; the event the timer waits for is replayed
 * (also for a client already ended, such as one of BullMQ's after its close).
 */
export function closeClient(client: Redis): void {
  const stream = client.stream as (Redis["stream"] & { closed?: boolean }) | undefined;
  const stranded = client.status === "reconnecting" || stream?.closed === true;
  // (An ended client is not disconnected again: that would arm the timer again. BullMQ marks its clients
  // ended itself after its own disconnect(), whose timer the replay below clears.)
  if (client.status !== "end") client.disconnect();
  if (stream?.closed === true) stream.emit("close", false);
  if (!stranded || (client.status as string) === "end") return;
  const internals = client as unknown as ClientInternals;
  const closed = new Error("Connection is closed.");
  internals.setStatus("end");
  internals.flushQueue(closed);
  const stash = internals.prevCommandQueue;
  while (stash != null && stash.length > 0) stash.shift()?.command?.reject(closed);
}

/**
 * Resolves when `work` settles, or at once when one of `clients` is not connected to Redis (or as soon as one
 * loses its connection): for a close of BullMQ's that needs Redis and waits for it to come back.
 */
export function whileConnected(
  work: Promise<unknown>,
  clients: readonly (Redis | undefined)[],
): Promise<void> {
  const live = clients.filter((c): c is Redis => c !== undefined);
  if (live.some((c) => c.status !== "ready")) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      for (const c of live) c.off("close", done);
      resolve();
    };
    for (const c of live) c.on("close", done);
    work.then(done, done);
  });
}

/**
 * Ends the Redis clients of a BullMQ Worker or QueueEvents (those of its backend, the raw ioredis clients BullMQ
 * exposes as an escape hatch), whatever their state: see closeClient.
 */
export async function endClientsOf(component: { getBackend(): unknown }): Promise<void> {
  const backend = component.getBackend() as {
    client: Promise<Redis>;
    blockingClient: Promise<Redis> | undefined;
  };
  // A client is handed out once its connection was initialized: one that never was (Redis was away from the
  // start) is not waited for, which could be for ever.
  const notYet = new Promise<undefined>((resolve) => setImmediate(resolve, undefined));
  const clients = await Promise.allSettled(
    [backend.client, backend.blockingClient].map((c) =>
      c === undefined ? undefined : Promise.race([c, notYet]),
    ),
  );
  for (const c of clients) if (c.status === "fulfilled" && c.value !== undefined) closeClient(c.value);
}
