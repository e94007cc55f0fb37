package io.github.sqlitepool.benchmarks.load;

import java.util.Map;

/**
 * What one cell (a workload on a target at a thread count) measured after its warm-up.
 * Latency covers a whole operation as its caller sees it: waiting for a connection, the
 * statements, and giving the connection back. Failed operations count as errors, not ops,
 * and are left out of the latencies.
 *
 * @param ops           operations that completed without error
 * @param errors        failed operations by cause (SQLite result code, or exception class)
 * @param seconds       length of the measured window
 */
public record CellResult(Workload workload, Target target, int threads, long ops, Map<String, Long> errors,
                         double seconds, long p50Nanos, long p99Nanos, long maxNanos) {

    public double opsPerSecond() {
        return ops / seconds;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}
