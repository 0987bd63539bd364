// CommonJS: an ESM cluster worker registers its listener after the pool's startup message has arrived.
const { ClusterWorker } = require("poolifier");

module.exports = new ClusterWorker((x) => x + 1);
