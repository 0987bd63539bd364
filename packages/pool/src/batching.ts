import type { TargetSpec } from "./interop.js";
import { appendTask, splitBatch } from "./message-codec.js";
import { anchorShape } from "./shape-anchors.js";
import type { Task } from "./task.js";
import type { TransferItem } from "./transfer.js";
import type { WorkerState } from "./worker-state.js";

/**
 * The message being built for one worker: the tasks assigned to it in one dispatch travel together, in
 * consecutive slots. Both lists are replaced (not truncated: a runtime call) once posted.
 */
export class TaskBatch {
  message: unknown[] = [];
  transfer: TransferItem[] = [];

  get empty(): boolean {
    return this.message.length === 0;
  }

  /** Adds a task placed in its slot; `spec` when the worker does not know the task's target yet. */
  add(task: Task, spec: TargetSpec | undefined): void {
    this.message = appendTask(this.message, task.slot, task.target, spec, task.code, task.args, task.context);
    const transfer = task.transfer;
    if (transfer !== undefined) for (let i = 0; i < transfer.length; i++) this.transfer.push(transfer[i]!);
  }

  /**
   * Posts the batch. When something in it cannot be sent, sends its tasks one by one so that only the
   * culprits fail: `unsendable(worker, slot, error)` for each of them.
   */
  post(worker: WorkerState, unsendable: (worker: WorkerState, slot: number, error: unknown) => void): void {
    const message = this.message;
    const channel = worker.channel;
    try {
      channel.post(message, this.transfer.length === 0 ? undefined : this.transfer);
    } catch {
      const tasks = worker.window.tasks;
      splitBatch(message, tasks.length, (slot, single) => {
        try {
          channel.post(single, tasks[slot]!.transfer);
          return true;
        } catch (err) {
          unsendable(worker, slot, err);
          return false;
        }
      });
    }
    this.message = [];
    if (this.transfer.length !== 0) this.transfer = [];
  }
}

// Its hidden class must outlive the pools that use it (see shape-anchors.ts).
anchorShape(new TaskBatch());
