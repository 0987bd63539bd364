// 12.2 Determining whether a thread has started
// A thread runs independently, so other threads cannot tell when it has reached a given point unless it says
// so. Python uses threading.Event; @weft/sync's Event is the same object in every thread it is passed to (it
// lives in shared memory), so the countdown thread sets it and the main thread wakes up.
import { Event } from "@weft/sync";
import { Thread } from "@weft/threads";

// Create the event object that will be used to signal startup
const startedEvt = new Event();

// Launch the thread and pass the startup event (the task lives in a module: tasks/12.2-countdown.ts)
console.log("Launching countdown");
const t = new Thread({
  target: { module: new URL("./tasks/12.2-countdown.js", import.meta.url), export: "countdown" },
  args: [10, startedEvt],
});
t.start();

// Wait for the thread to start
await startedEvt.wait();
console.log("countdown is running");

await t.join();
console.log(`countdown finished; the event is still set: ${startedEvt.isSet()}`);
// An Event can be cleared and reused: set() wakes every thread that was already waiting, even if clear()
// follows at once (each such wait returns true); a wait that starts after the clear() waits for the next
// set(). A thread that was not yet waiting when set() and clear() ran misses that signal, so for a tick that
// every worker must see exactly once per period, a Condition (recipe 12.3) is still the better fit.
