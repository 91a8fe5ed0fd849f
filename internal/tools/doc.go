// Package tools holds, one per folder, the generators and load tools that
// the benchmarks and the load tests use (docs/performance.md); none of them
// is built into reinvent:
//
//   - history: catalogs of realistic sessions and stores holding many
//     versions of them, for the benchmarks of watch.
//   - loadgen: a command that drives reinvent serve-webhook on loopback
//     with signed deliveries and prints rate and latency.
package tools
