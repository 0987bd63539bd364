// Task module for recipe 12.2: the countdown signals through a shared Event that it has started.
import type { Event } from "@weft/sync";

export async function countdown(n: number, startedEvt: Event, tickMs = 200): Promise<void> {
  console.log("countdown starting");
  startedEvt.set();
  while (n > 0) {
    console.log("T-minus", n);
    n -= 1;
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
}
