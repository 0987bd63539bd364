// A private Redis for tests, the chapter demo and benchmarks: Debian's redis-server (installed with apt-get
// when missing and running as root), on a free port of 127.0.0.1, in a temporary directory that is deleted
// when it stops, so nothing is left behind. Not part of the published package.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

/** Makes sure `redis-server` is on PATH, installing Debian's package when missing (as root). */
export function ensureRedisServer() {
  if (onPath("redis-server")) return;
  if (process.getuid?.() !== 0) {
    throw new Error("redis-server is missing; install it (Debian: sudo apt-get install -y redis-server)");
  }
  // "[setup] ": a notice about this machine, not output of the program that needed Redis (docs captures drop it).
  console.error("[setup] installing redis-server (apt-get) for @weft/distributed ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Synchronous (in the tests' global setup): each step is bounded, so a stuck apt-get fails the run.
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"], {
      stdio: "ignore",
      env,
      timeout: 15 * 60_000,
    });
  if (install().status !== 0) {
    execFileSync("apt-get", ["update"], { stdio: "ignore", env, timeout: 10 * 60_000 });
    if (install().status !== 0) throw new Error("apt-get install -y redis-server failed");
  }
  // Debian's package may start a system-wide server; the project's tests never use it.
  spawnSync("sh", ["-c", "service redis-server stop || systemctl stop redis-server"], {
    stdio: "ignore",
    timeout: 60_000,
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

/**
 * Starts a private redis-server. `appendonly: true` makes it durable (fsync on every write), so a restart
 * keeps its data. Returns `{ port, url, restart(), stop() }`.
 */
export async function startRedis({ appendonly = false, port: wanted } = {}) {
  ensureRedisServer();
  const port = wanted ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "weft-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  args.push("--appendonly", appendonly ? "yes" : "no");
  if (appendonly) args.push("--appendfsync", "always");
  let child;
  const launch = async () => {
    mkdirSync(dir, { recursive: true });
    child = spawn("redis-server", args, { stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.exited = exited;
    for (let i = 0; i < 200; i++) {
      if (await answersPing(port)) {
        // Without persistence the server never writes to its directory again: remove it now, so that
        // nothing is left behind even if this process is killed before stop().
        if (!appendonly) rmSync(dir, { recursive: true, force: true });
        return;
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill("SIGKILL");
    throw new Error(`redis-server did not start on 127.0.0.1:${port}`);
  };
  const halt = async (signal = "SIGTERM") => {
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    // A server that does not stop on SIGTERM (stuck writing its data) must not hold up the run's teardown.
    const stuck = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await child.exited;
    clearTimeout(stuck);
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid;
    },
    /** Stops the server (SIGKILL: as if it crashed; SIGTERM: a clean stop). */
    halt,
    /** Starts it again on the same port and directory. */
    start: launch,
    async restart(signal = "SIGTERM") {
      await halt(signal);
      await launch();
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    /** Stops it at once (SIGKILL) without waiting, for a process.on("exit") handler. */
    stopSync() {
      if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
