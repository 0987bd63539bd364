// Distributed Lock and Semaphore as leases in Redis with fencing tokens. A holder's lease lasts `lease` ms and
// is renewed in the background while the guard is held; a holder that dies (or is cut off from Redis) loses
// it when the lease runs out, and the next holder gets a higher fencing token, so a resource that remembers
// the highest token it has seen can refuse a stale holder's writes.
import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import { PoolOptionError, TimeoutError } from "@weft/pool";
import { checkOptions } from "@weft/pool/extension";
import { ReleaseError, type WaitOptions } from "@weft/sync";
import { checkTimeout } from "@weft/sync/extension";
import { Redis } from "ioredis";
import {
  clientName,
  closeClient,
  describeConnectionFailure,
  isPermanentFailure,
  type RedisConnection,
  resolveConnection,
} from "./connection.js";
import { LeaseClosedError, LeaseLostError, RedisConnectionError } from "./errors.js";
import { integerOption, nameOption } from "./options.js";

// KEYS[1]: the holders (a sorted set: holder -> lease end, Redis time in ms); KEYS[2]: the fencing counter.
const NOW =
  "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
/** ARGV: holder, lease ms, permits. Returns the fencing token, or 0 when every permit is held. */
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('INCR', KEYS[2])`;
/** ARGV: holder, lease ms. Returns 1 if the lease was still held (and is now extended), else 0. */
const RENEW = `${NOW}
local ends = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not ends or tonumber(ends) <= now then redis.call('ZREM', KEYS[1], ARGV[1]) return 0 end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;
/** ARGV: holder. Returns 1 if the lease was still held when released, else 0. */
const RELEASE = `${NOW}
local ends = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
if ends and tonumber(ends) > now then return 1 end
return 0`;

type LeaseClient = Redis & {
  weftAcquire(
    holders: string,
    fence: string,
    holder: string,
    lease: number,
    permits: number,
  ): Promise<number>;
  weftRenew(holders: string, fence: string, holder: string, lease: number): Promise<number>;
  weftRelease(holders: string, fence: string, holder: string): Promise<number>;
};

/**
 * Options of {@link DistributedLock} and {@link DistributedSemaphore}.
 *
 * @example
 * ```ts
 * const options: LeaseOptions = { connection: "redis://127.0.0.1:6379", name: "nightly-report", lease: 15_000 };
 * ```
 */
export interface LeaseOptions {
  /** Where Redis is (a URL or ioredis options). Required. */
  connection: RedisConnection;
  /** The lock's name: every process that uses the same name (and prefix) shares it. Required. */
  name: string;
  /** ms a lease lasts without renewal (default 10 000); it is renewed every third of it while held. */
  lease?: number;
  /** Key prefix (default "weft"). */
  prefix?: string;
}

const LEASE_KEYS = new Set(["connection", "name", "lease", "prefix"]);
const SEMAPHORE_KEYS = new Set(["connection", "name", "permits", "lease", "prefix"]);
const ACQUIRE_KEYS = new Set(["timeout", "signal"]);

/**
 * Proof of a lease on a {@link DistributedLock} or a permit of a {@link DistributedSemaphore}. `token` is
 * the fencing token: it grows with every acquisition of the same name, so a resource can refuse a holder
 * whose token is lower than one it has seen. `signal` aborts with a {@link LeaseLostError} when the lease is
 * lost (it could not be renewed in time: this process was cut off from Redis or stalled; or it was gone from
 * Redis when renewed), after which others may hold it.
 *
 * @example
 * ```ts
 * await using lease = await lock.acquire({ timeout: 5000 });
 * await storage.write(data, { fencingToken: lease.token, signal: lease.signal });
 * ```
 */
export class LeaseGuard implements AsyncDisposable {
  /** The fencing token of this acquisition. */
  readonly token: number;
  readonly #lost = new AbortController();
  readonly #release: () => Promise<boolean>;
  #timer: NodeJS.Timeout | undefined;
  #expiry: NodeJS.Timeout | undefined;
  /** When the lease ends as far as this side knows (performance.now() time): the last renewal's send + lease. */
  #until = 0;
  #released = false;
  readonly #connected: () => boolean;
  readonly #lostError: (why: string, advise?: boolean) => LeaseLostError;

  /**
   * @internal `sentAt` is when the acquiring request was sent (performance.now()): the lease is counted
   * from then, so this side never believes it holds the lease longer than Redis does. `connected` says
   * whether the client is connected to Redis now. `lost` builds the LeaseLostError the signal aborts with.
   */
  constructor(
    token: number,
    sentAt: number,
    lease: number,
    renew: () => Promise<boolean>,
    release: () => Promise<boolean>,
    connected: () => boolean,
    lost: (token: number, why: string, advise: boolean) => LeaseLostError,
  ) {
    this.token = token;
    this.#lostError = (why, advise = true) => lost(token, why, advise);
    this.#release = release;
    this.#connected = connected;
    const renewEvery = Math.max(10, Math.floor(lease / 3));
    // Loses the lease when no renewal has succeeded by the end of the last one known to Redis.
    const expireAt = (until: number): void => {
      this.#until = until;
      clearTimeout(this.#expiry);
      this.#expiry = setTimeout(
        () =>
          this.#lose(
            this.#lostError(
              "it ran out before it could be renewed (Redis was unreachable or slow, or this event loop was blocked)",
            ),
          ),
        Math.max(0, until - performance.now()),
      ).unref();
    };
    expireAt(sentAt + lease);
    const tick = (): void => {
      const sent = performance.now();
      renew().then(
        (held) => {
          if (this.#released) return;
          if (this.#lost.signal.aborted) {
            // A renewal that reached Redis after this side gave the lease up (Redis came back late): give
            // it back, or it would stay held by no one for a whole lease.
            if (held) release().catch(ignore);
            return;
          }
          if (!held)
            return this.#lose(
              this.#lostError("it was gone from Redis when renewed (it had run out, or was removed)"),
            );
          expireAt(sent + lease);
          this.#timer = setTimeout(tick, renewEvery).unref();
        },
        () => {
          if (this.#released || this.#lost.signal.aborted) return;
          this.#timer = setTimeout(tick, Math.max(10, renewEvery / 4)).unref(); // try again until it runs out
        },
      );
    };
    this.#timer = setTimeout(tick, renewEvery).unref();
  }

  /** Aborted when the lease is lost; its reason says why. */
  get signal(): AbortSignal {
    return this.#lost.signal;
  }

  /**
   * Gives the lease back. Resolves true if it was still held, false if it had run out (someone else may
   * have held it meanwhile: check what was written under `token`), also when Redis could not be told before the
   * lease would have run out (unreachable: it ends there on its own). A second release rejects with ReleaseError.
   */
  async release(): Promise<boolean> {
    if (this.#released) {
      throw new ReleaseError("LeaseGuard.release: this lease was already released; release each lease once");
    }
    this.#released = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#expiry);
    // Redis's answer, if it comes before the lease would have run out; after that (Redis slow) the lease is
    // over either way, and someone else may have held it. While Redis is unreachable there is no answer to
    // wait for: the request goes when it is back (freeing the lease early), and the lease ends there anyway.
    const asked = this.#release().catch(() => false as const);
    if (!this.#connected()) {
      this.#lose(
        this.#lostError("Redis was unreachable when it was released; it runs out there on its own", false),
      );
      return false;
    }
    let timer: NodeJS.Timeout | undefined;
    const ranOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, this.#until - performance.now()));
    });
    const held = await Promise.race([asked, ranOut]);
    clearTimeout(timer);
    if (!held) this.#lose(this.#lostError("it had run out before it was released"));
    return held;
  }

  /** `await using lease = await lock.acquire()`: releases at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#released) await this.release();
  }

  #lose(reason: LeaseLostError): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#expiry);
    if (!this.#lost.signal.aborted) this.#lost.abort(reason);
  }
}

/** Shared by the lock and the semaphore: `permits` leases of one name. */
class Leases implements AsyncDisposable {
  readonly #client: LeaseClient;
  readonly #holders: string;
  readonly #fence: string;
  readonly #lease: number;
  readonly #permits: number;
  readonly #who: string;
  readonly #name: string;
  /** `host:port`, for messages. */
  readonly #server: string;
  #lastError: unknown;
  /** Aborted by close(): acquire() calls that wait end with LeaseClosedError. */
  readonly #closing = new AbortController();

  constructor(who: string, options: LeaseOptions, permits: number) {
    checkOptions(`${who} options`, options, LEASE_KEYS, true);
    const connection = resolveConnection(`${who} options`, options.connection);
    const { options: redis, server } = connection;
    this.#server = server;
    const name = nameOption(`${who} options: name`, options.name);
    const prefix = nameOption(`${who} options: prefix`, options.prefix, "weft");
    this.#lease = integerOption(`${who} options: lease`, options.lease, 30, 10_000);
    this.#permits = permits;
    this.#who = who;
    this.#name = name;
    this.#holders = `${prefix}:lease:${name}:holders`;
    this.#fence = `${prefix}:lease:${name}:fence`;
    const client = new Redis({
      ...redis,
      lazyConnect: true,
      // A command waits for Redis to be back (acquire bounds that wait by its own timeout and signal), not
      // for ioredis's 20 reconnection attempts, after which it failed with ioredis's own error.
      maxRetriesPerRequest: null,
      connectionName: clientName(connection, `lease:${name}`),
    }) as LeaseClient;
    client.defineCommand("weftAcquire", { numberOfKeys: 2, lua: ACQUIRE });
    client.defineCommand("weftRenew", { numberOfKeys: 2, lua: RENEW });
    client.defineCommand("weftRelease", { numberOfKeys: 2, lua: RELEASE });
    // A failing command rejects its own promise; the last error says why Redis cannot be reached.
    client.on("error", (err: unknown) => {
      this.#lastError = err;
    });
    this.#client = client;
    // Every acquire() waiting at once listens to it.
    setMaxListeners(0, this.#closing.signal);
  }

  async acquire(options: WaitOptions = {}): Promise<LeaseGuard> {
    checkOptions(`${this.#who}.acquire options`, options, ACQUIRE_KEYS);
    const timeout =
      options.timeout === undefined
        ? Number.POSITIVE_INFINITY
        : checkTimeout(`${this.#who}.acquire: timeout`, options.timeout);
    const { signal } = options;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new PoolOptionError(`${this.#who}.acquire options: signal must be an AbortSignal`);
    }
    const deadline = performance.now() + timeout;
    const holder = randomBytes(12).toString("hex");
    let pause = 5;
    for (;;) {
      signal?.throwIfAborted();
      if (this.#closing.signal.aborted) throw this.#closed();
      const sentAt = performance.now();
      const token = Number(
        await this.#reach(
          this.#client.weftAcquire(this.#holders, this.#fence, holder, this.#lease, this.#permits),
          holder,
          deadline,
          timeout,
          signal,
        ),
      );
      if (token > 0) {
        return new LeaseGuard(
          token,
          sentAt,
          this.#lease,
          async () => (await this.#client.weftRenew(this.#holders, this.#fence, holder, this.#lease)) === 1,
          async () => (await this.#client.weftRelease(this.#holders, this.#fence, holder)) === 1,
          () => this.#client.status === "ready",
          (lostToken, why, advise) => this.#lost(lostToken, why, advise),
        );
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new TimeoutError(
          `${this.#who}.acquire: not acquired within ${timeout} ms; every lease is held`,
        );
      }
      await sleep(Math.min(pause, left), signal, this.#closing.signal);
      if (this.#closing.signal.aborted) throw this.#closed();
      pause = Math.min(pause * 2, 100, Math.max(5, this.#lease / 4));
    }
  }

  /**
   * The answer to an acquiring command, waited for until `deadline` or `signal`: past the deadline, a
   * RedisConnectionError while Redis cannot be reached (TimeoutError when it is connected but did not answer),
   * at once for settings that retrying cannot fix (refused credentials). A lease the abandoned command still
   * gets later is given back at once, so it does not stay held by no one for a whole lease.
   */
  #reach(
    command: Promise<number>,
    holder: string,
    deadline: number,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const closing = this.#closing.signal;
      const end = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        closing.removeEventListener("abort", onClose);
        this.#client.off("error", onError);
        return true;
      };
      const giveUp = (err: unknown): void => {
        if (!end()) return;
        // The command may still reach Redis: a lease it takes then is nobody's.
        command.then((token) => {
          if (Number(token) > 0) this.#client.weftRelease(this.#holders, this.#fence, holder).catch(ignore);
        }, ignore);
        reject(err);
      };
      const onAbort = (): void => giveUp(signal!.reason);
      const onClose = (): void => giveUp(this.#closed());
      const onError = (err: Error): void => {
        if (isPermanentFailure(err)) giveUp(this.#unreachable(err));
      };
      command.then(
        (token) => {
          if (end()) resolve(token);
        },
        (err: unknown) => {
          if (!end()) return;
          if (closing.aborted) reject(this.#closed());
          else reject(this.#client.status === "ready" ? err : this.#unreachable(err));
        },
      );
      if (settled) return;
      signal?.addEventListener("abort", onAbort, { once: true });
      closing.addEventListener("abort", onClose, { once: true });
      this.#client.on("error", onError);
      if (deadline !== Number.POSITIVE_INFINITY) {
        timer = setTimeout(
          () =>
            giveUp(
              this.#client.status === "ready"
                ? new TimeoutError(`${this.#who}.acquire: Redis did not answer within ${timeout} ms`)
                : this.#unreachable(this.#lastError, timeout),
            ),
          Math.max(0, deadline - performance.now()),
        );
      }
    });
  }

  #unreachable(cause: unknown, waited?: number): RedisConnectionError {
    return new RedisConnectionError(
      this.#server,
      `${this.#who}.acquire: ${describeConnectionFailure(this.#server, cause, waited, "the timeout")}`,
      cause,
    );
  }

  #lost(token: number, why: string, advise: boolean): LeaseLostError {
    const advice = advise
      ? `; another holder may have it now. Stop the work it guards, and keep that work shorter than the lease ` +
        `(${this.#lease} ms) and the event loop free so it is renewed in time, or raise the lease option`
      : "";
    return new LeaseLostError(
      `${this.#who} "${this.#name}": the lease with fencing token ${token} was lost: ${why}${advice}`,
      token,
    );
  }

  #closed(): LeaseClosedError {
    return new LeaseClosedError(
      `${this.#who}.acquire: this ${this.#who} was closed; create a new one to acquire again`,
    );
  }

  async close(): Promise<void> {
    this.#closing.abort();
    closeClient(this.#client);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Waits `ms`; rejects with `signal`'s reason when it aborts first, resolves early when `closing` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined, closing: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      closing.removeEventListener("abort", onClose);
    };
    const onAbort = () => {
      done();
      reject(signal!.reason);
    };
    const onClose = () => {
      done();
      resolve();
    };
    const timer = setTimeout(onClose, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    closing.addEventListener("abort", onClose, { once: true });
  });
}

/**
 * A lock shared by every process (on any machine) that uses the same name on the same Redis, held as a
 * lease: `acquire({ timeout, signal })` resolves with a {@link LeaseGuard} whose fencing `token` grows with
 * each acquisition. The lease is renewed while held; if the holder dies, the lock is free after `lease` ms.
 * Limits: it is as safe as one Redis is (no Redlock across several), and a holder that stalls longer than its
 * lease (a long GC pause, a frozen VM) may still believe it holds the lock: protect the resource with the
 * fencing token and watch `guard.signal`.
 *
 * @example
 * ```ts
 * await using lock = new DistributedLock({ connection: process.env.REDIS_URL!, name: "nightly-report" });
 * await using lease = await lock.acquire({ timeout: 10_000 });
 * await writeReport({ fencingToken: lease.token });
 * ```
 */
export class DistributedLock implements AsyncDisposable {
  readonly #leases: Leases;
  constructor(options: LeaseOptions) {
    this.#leases = new Leases("DistributedLock", options, 1);
  }
  /**
   * Waits for the lock (at most `timeout` ms: then TimeoutError; `signal` rejects with its reason). While Redis
   * cannot be reached it waits for it to be back, within the same `timeout`: past it, RedisConnectionError
   * (at once for settings that retrying cannot fix, such as refused credentials).
   */
  acquire(options?: WaitOptions): Promise<LeaseGuard> {
    return this.#leases.acquire(options);
  }
  /** Closes this object's Redis connection (held leases then run out). */
  close(): Promise<void> {
    return this.#leases.close();
  }
  /** `await using lock = new DistributedLock(...)`: closes the connection at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * A semaphore of `permits` leases shared across processes and machines (same name, same Redis), with the
 * guarantees and limits of {@link DistributedLock}; each acquisition gets its own fencing token.
 *
 * @example
 * ```ts
 * await using crawlers = new DistributedSemaphore({ connection, name: "example.org", permits: 4 });
 * await using slot = await crawlers.acquire();
 * await fetch("https://example.org/", { signal: slot.signal });
 * ```
 */
export class DistributedSemaphore implements AsyncDisposable {
  readonly #leases: Leases;
  constructor(options: LeaseOptions & { permits: number }) {
    checkOptions("DistributedSemaphore options", options, SEMAPHORE_KEYS, true);
    const { permits } = options;
    // The lease options, inherited ones too (as the check above counts them): a rest pattern copies only own ones.
    const given = options as unknown as Record<string, unknown>;
    const rest: Record<string, unknown> = {};
    for (const key in given) if (key !== "permits") rest[key] = given[key];
    if (!Number.isInteger(permits) || permits < 1) {
      throw new PoolOptionError(
        `DistributedSemaphore options: permits must be an integer >= 1, got ${String(permits)}`,
      );
    }
    this.#leases = new Leases("DistributedSemaphore", rest as unknown as LeaseOptions, permits);
  }
  /**
   * Waits for a permit (at most `timeout` ms: then TimeoutError; `signal` rejects with its reason). While Redis
   * cannot be reached it waits for it to be back, within the same `timeout`: past it, RedisConnectionError
   * (at once for settings that retrying cannot fix, such as refused credentials).
   */
  acquire(options?: WaitOptions): Promise<LeaseGuard> {
    return this.#leases.acquire(options);
  }
  /** Closes this object's Redis connection (held leases then run out). */
  close(): Promise<void> {
    return this.#leases.close();
  }
  /** `await using sem = new DistributedSemaphore(...)`: closes the connection at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function ignore(): void {}
