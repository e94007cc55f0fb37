/**
 * The benchmark entry point and its options: load harness and JMH against HikariCP, and the load
 * harness against a hand-made one-writer/many-readers split ({@code split}; docs/benchmarks/split.md).
 */
package io.github.sqlitepool.benchmarks;
