// A vitest reporter that appends one JSON line per progress event (a test file queued, started or ended; a
// test or hook started or ended; the run ended) to the file named by WEFT_TEST_PROGRESS_FILE, for the
// watchdog (run.mjs) to read. It only records: the vitest reporters that print are the ones run.mjs passes
// besides it. Appending to a file never blocks vitest (a pipe could, if nobody read it), and a heartbeat
// every few seconds tells the watchdog whether vitest's main process itself still runs.
import { openSync, writeSync } from "node:fs";

const HEARTBEAT_MS = 5000;

export default class ProgressReporter {
  #fd;
  #heartbeat;

  constructor() {
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by run.mjs for the vitest it starts, not by turbo
    const file = process.env.WEFT_TEST_PROGRESS_FILE;
    if (file) this.#fd = openSync(file, "a");
  }

  #send(event) {
    if (this.#fd === undefined) return;
    try {
      writeSync(this.#fd, `${JSON.stringify({ t: Date.now(), ...event })}\n`);
    } catch {
      // a full disk or a closed file: the watchdog then sees no progress and says so
    }
  }

  onInit() {
    this.#send({ e: "init", pid: process.pid });
    this.#heartbeat = setInterval(() => this.#send({ e: "alive" }), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  onTestRunStart(specifications) {
    this.#send({ e: "run-start", files: specifications.length });
  }

  onTestModuleQueued(m) {
    this.#send({ e: "file-queued", file: m.moduleId, project: m.project.name });
  }

  onTestModuleStart(m) {
    this.#send({ e: "file-start", file: m.moduleId, project: m.project.name });
  }

  onTestModuleEnd(m) {
    this.#send({ e: "file-end", file: m.moduleId, project: m.project.name, state: m.state() });
  }

  onTestCaseReady(t) {
    this.#send({ e: "test-start", file: t.module.moduleId, id: t.id, name: t.fullName });
  }

  onTestCaseResult(t) {
    this.#send({
      e: "test-end",
      file: t.module.moduleId,
      id: t.id,
      name: t.fullName,
      state: t.result().state,
    });
  }

  onHookStart(h) {
    this.#send({ e: "hook-start", ...hookInfo(h) });
  }

  onHookEnd(h) {
    this.#send({ e: "hook-end", ...hookInfo(h) });
  }

  onTestRunEnd(_modules, _errors, reason) {
    this.#send({ e: "run-end", reason });
    clearInterval(this.#heartbeat);
  }

  onProcessTimeout() {
    this.#send({ e: "close-timeout" });
  }
}

function hookInfo(h) {
  const entity = h.entity;
  const file = entity.type === "module" ? entity.moduleId : entity.module.moduleId;
  const where = entity.type === "module" ? "file" : (entity.fullName ?? entity.name);
  return { file, id: `${h.name}:${entity.id}`, name: `${h.name} (${where})` };
}
