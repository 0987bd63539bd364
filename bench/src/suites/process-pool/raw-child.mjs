// Raw fork IPC yardstick: echoes every message straight back.
process.on("message", (m) => process.send(m));
