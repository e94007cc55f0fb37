/** The benchmark entry point and its options: load harness and JMH against HikariCP and a hand-made split. */
package io.github.sqlitepool.benchmarks;
