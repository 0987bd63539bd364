// poolifier's cluster worker. CommonJS: an ESM cluster worker registers its listener after the pool's
// startup message has arrived and never becomes ready.
const { ClusterWorker } = require("poolifier");

module.exports = new ClusterWorker((task) => task.x);
