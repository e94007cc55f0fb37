/** The load harness: workloads, targets (pools under test) and the runner that measures them. */
package io.github.sqlitepool.benchmarks.load;
