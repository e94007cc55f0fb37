/** Turns load and JMH results into the tables and charts under {@code docs/benchmarks}. */
package io.github.sqlitepool.benchmarks.report;
