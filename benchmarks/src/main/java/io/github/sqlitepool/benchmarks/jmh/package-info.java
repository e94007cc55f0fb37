/** JMH microbenchmarks of the lease and statement cycles. */
package io.github.sqlitepool.benchmarks.jmh;
