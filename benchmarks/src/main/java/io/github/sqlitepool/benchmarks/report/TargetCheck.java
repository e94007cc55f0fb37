package io.github.sqlitepool.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import io.github.sqlitepool.benchmarks.jmh.JmhSuite.JmhResult;
import io.github.sqlitepool.benchmarks.load.CellResult;
import io.github.sqlitepool.benchmarks.load.LoadResults;
import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.benchmarks.load.Workload;

/** Compares one run with issue 3's targets for sqlite-pool (2 cores, 64 threads, pool of 8). */
public final class TargetCheck {

    /** The thread count the targets are stated at. */
    public static final int TARGET_THREADS = 64;

    /** One target: what was asked, what was measured, and whether it was met (empty when not measured). */
    public record Outcome(String target, String measured, Optional<Boolean> met) {
    }

    private TargetCheck() {
    }

    /**
     * The targets for sqlite-pool as configured by default and, when it was measured, for the same
     * pool with its statement cache off: the serial connection and HikariCP prepare every statement
     * afresh, so the second set shows what the pool does without that advantage.
     */
    public static List<Outcome> evaluate(LoadResults results, List<Integer> threads, List<JmhResult> jmh) {
        List<Outcome> outcomes = new ArrayList<>(forPool(results, threads, Target.SQLITE_POOL));
        if (results.find(Workload.WRITE, Target.SQLITE_POOL_NO_CACHE, TARGET_THREADS).isPresent()
                || results.find(Workload.READ, Target.SQLITE_POOL_NO_CACHE, TARGET_THREADS).isPresent()) {
            outcomes.addAll(forPool(results, threads, Target.SQLITE_POOL_NO_CACHE));
        }
        outcomes.add(connectionCycle(jmh));
        return outcomes;
    }

    private static List<Outcome> forPool(LoadResults results, List<Integer> threads, Target pool) {
        return List.of(ratio(results, pool, Workload.WRITE, 0.9, false),
                ratio(results, pool, Workload.RMW, 0.8, true),
                ratio(results, pool, Workload.MIXED, 1.0, false),
                ratio(results, pool, Workload.READ, 1.5, false),
                tail(results, pool, Workload.WRITE),
                tail(results, pool, Workload.RMW),
                writeAtEveryThreadCount(results, pool, threads));
    }

    private static Outcome ratio(LoadResults results, Target pool, Workload workload, double min, boolean zeroErrors) {
        String target = pool.label() + ": " + workload.cliName() + " ≥ " + min + "× serial"
                + (zeroErrors ? ", 0 errors" : "");
        Optional<CellResult> cell = results.find(workload, pool, TARGET_THREADS);
        OptionalDouble ratio = cell.map(results::ratioToSerial).orElse(OptionalDouble.empty());
        if (cell.isEmpty() || ratio.isEmpty()) {
            return new Outcome(target, "not measured", Optional.empty());
        }
        long errors = cell.get().errorCount();
        boolean met = ratio.getAsDouble() >= min && (!zeroErrors || errors == 0);
        return new Outcome(target, String.format(Locale.ROOT, "%.2f×, %d errors", ratio.getAsDouble(), errors),
                Optional.of(met));
    }

    private static Outcome tail(LoadResults results, Target pool, Workload workload) {
        String target = pool.label() + ": " + workload.cliName() + " p99 ≤ 2 ms, max ≤ 50 ms";
        return results.find(workload, pool, TARGET_THREADS)
                .map(c -> new Outcome(target, String.format(Locale.ROOT, "p99 %s, max %s",
                        ResultsReport.millis(c.p99Nanos()), ResultsReport.millis(c.maxNanos())),
                        Optional.of(c.p99Nanos() <= 2_000_000 && c.maxNanos() <= 50_000_000)))
                .orElse(new Outcome(target, "not measured", Optional.empty()));
    }

    private static Outcome writeAtEveryThreadCount(LoadResults results, Target pool, List<Integer> threads) {
        String target = pool.label() + ": write ≥ 0.8× serial at every thread count";
        List<String> measured = new ArrayList<>();
        boolean met = true;
        for (int n : threads) {
            Optional<CellResult> cell = results.find(Workload.WRITE, pool, n);
            OptionalDouble ratio = cell.map(results::ratioToSerial).orElse(OptionalDouble.empty());
            if (ratio.isEmpty()) {
                return new Outcome(target, "not measured", Optional.empty());
            }
            measured.add(String.format(Locale.ROOT, "%d: %.2f×", n, ratio.getAsDouble()));
            met &= ratio.getAsDouble() >= 0.8;
        }
        return new Outcome(target, String.join(", ", measured), Optional.of(met));
    }

    private static Outcome connectionCycle(List<JmhResult> jmh) {
        String target = "JMH connection cycle ≤ 1.2× HikariCP, 1 thread";
        Optional<JmhResult> ours = find(jmh, "sqlite-pool");
        Optional<JmhResult> hikari = find(jmh, "hikari");
        if (ours.isEmpty() || hikari.isEmpty()) {
            return new Outcome(target, "not measured", Optional.empty());
        }
        double ratio = ours.get().nanosPerOp() / hikari.get().nanosPerOp();
        return new Outcome(target, String.format(Locale.ROOT, "%.0f ns vs %.0f ns = %.2f×",
                ours.get().nanosPerOp(), hikari.get().nanosPerOp(), ratio), Optional.of(ratio <= 1.2));
    }

    private static Optional<JmhResult> find(List<JmhResult> jmh, String pool) {
        return jmh.stream()
                .filter(r -> r.benchmark().equals("connectionCycle") && r.pool().equals(pool) && r.threads() == 1)
                .findFirst();
    }
}
