// What a test run is doing, from the progress reporter's events: the files, tests and hooks started and not
// yet ended, when anything last started or ended, and when vitest's main process last spoke at all.

export class RunProgress {
  /** @param {number} now the time the run started (ms) */
  constructor(now) {
    this.startedAt = now;
    this.lastProgress = now;
    this.lastHeard = undefined;
    this.ended = false;
    this.files = new Map();
    this.tests = new Map();
    this.hooks = new Map();
    this.finishedFiles = 0;
    this.anyFileStarted = false;
    this.totalFiles = undefined;
  }

  /** Takes one event (a parsed line of the progress file). */
  add(ev) {
    this.lastHeard = ev.t;
    if (ev.e === "alive" || ev.e === "init") return;
    this.lastProgress = ev.t;
    switch (ev.e) {
      case "run-start":
        this.totalFiles = ev.files;
        break;
      case "file-queued":
      case "file-start": {
        this.anyFileStarted = true;
        const known = this.files.get(ev.file);
        this.files.set(ev.file, {
          project: ev.project,
          since: known?.since ?? ev.t,
          phase: ev.e,
          lastEnded: undefined,
        });
        break;
      }
      case "file-end":
        this.files.delete(ev.file);
        this.finishedFiles++;
        for (const [id, x] of this.tests) if (x.file === ev.file) this.tests.delete(id);
        for (const [id, x] of this.hooks) if (x.file === ev.file) this.hooks.delete(id);
        break;
      case "test-start":
        this.tests.set(ev.id, { file: ev.file, name: ev.name, since: ev.t });
        break;
      case "test-end": {
        this.tests.delete(ev.id);
        const f = this.files.get(ev.file);
        if (f) f.lastEnded = { name: ev.name, state: ev.state, at: ev.t };
        break;
      }
      case "hook-start":
        this.hooks.set(ev.id, { file: ev.file, name: ev.name, since: ev.t });
        break;
      case "hook-end":
        this.hooks.delete(ev.id);
        break;
      case "run-end":
        this.ended = true;
        break;
    }
  }

  /** Milliseconds since anything started or ended. */
  idleFor(now) {
    return now - this.lastProgress;
  }

  /** A report of what is running, one line each, paths relative to `root`. */
  describe(now, root) {
    const rel = (f) => (f.startsWith(`${root}/`) ? f.slice(root.length + 1) : f);
    const ago = (t) => `${Math.round((now - t) / 1000)} s ago`;
    const lines = [];
    const heard =
      this.lastHeard === undefined
        ? "vitest's main process never reported (it did not start, or is blocked before its first report)"
        : now - this.lastHeard > 20_000
          ? `vitest's main process last reported ${ago(this.lastHeard)}: it is itself blocked (a global setup or teardown, or a synchronous call in it)`
          : `vitest's main process still reports (last ${ago(this.lastHeard)}): it is waiting for a test worker`;
    lines.push(heard);
    const total = this.totalFiles === undefined ? "" : ` of ${this.totalFiles}`;
    lines.push(
      `test files finished: ${this.finishedFiles}${total}${this.ended ? "; the run has ended" : ""}`,
    );
    if (!this.anyFileStarted) {
      lines.push("no test file has started yet: the projects' global setups run before the first one");
    } else if (this.files.size === 0) {
      lines.push("no test file is running (the stall is outside any file)");
    }
    if (this.files.size > 0) lines.push("test files started and not finished:");
    for (const [file, f] of this.files) {
      const loading = f.phase === "file-queued" ? ", still being loaded" : "";
      const project = f.project ? `[${f.project}] ` : "";
      lines.push(`  ${project}${rel(file)} (started ${ago(f.since)}${loading})`);
      let running = 0;
      for (const t of this.tests.values()) {
        if (t.file !== file) continue;
        running++;
        lines.push(`      test running: ${t.name} (started ${ago(t.since)})`);
      }
      for (const h of this.hooks.values()) {
        if (h.file !== file) continue;
        running++;
        lines.push(`      hook running: ${h.name} (started ${ago(h.since)})`);
      }
      if (f.lastEnded) {
        const e = f.lastEnded;
        lines.push(`      last test ended in it: ${e.name} (${e.state}, ${ago(e.at)})`);
      }
      if (running === 0) {
        lines.push(
          "      no test or hook of it reported as running: vitest's worker reports starts in batches, so one " +
            "that blocked its thread within 0.1 s of starting is not known here (it may be the test after the last one that ended)",
        );
      }
    }
    return lines;
  }
}
