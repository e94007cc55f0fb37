package io.github.sqlitepool.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

import io.github.sqlitepool.benchmarks.jmh.JmhSuite.JmhResult;
import io.github.sqlitepool.benchmarks.load.CellResult;
import io.github.sqlitepool.benchmarks.load.LoadResults;
import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.benchmarks.load.Workload;
import io.github.sqlitepool.pool.config.Synchronous;

/** Writes {@code results.md}: the machine, one table per workload, the targets, and the JMH cycles. */
public final class ResultsReport {

    /** What the run covered, as the report states it. */
    public record RunSettings(Duration warmup, Duration duration, List<Integer> threads, List<Workload> workloads,
                              Synchronous synchronous, String note, double loadAverageAtStart, double loadAverageAtEnd) {
    }

    private ResultsReport() {
    }

    public static Path write(Path directory, MachineInfo machine, RunSettings settings, LoadResults results,
                             List<JmhResult> jmh) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# sqlite-pool benchmark results\n\n");
        md.append("Produced by `java -jar benchmarks/target/benchmarks.jar` (see [README](README.md) for how to run and read it).\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "date (UTC)", machine.date().toString());
        row(md, "cores", Integer.toString(machine.cores()));
        row(md, "JDK", machine.jdk());
        row(md, "OS", machine.os());
        row(md, "sqlite-jdbc / SQLite", machine.sqliteJdbc() + " / " + machine.sqlite());
        row(md, "HikariCP", machine.hikari());
        row(md, "JMH", machine.jmh());
        row(md, "per cell", "warm-up " + seconds(settings.warmup()) + ", measured " + seconds(settings.duration()));
        row(md, "pools", Target.POOL_SIZE + " connections; WAL, synchronous " + settings.synchronous() + ", busy_timeout 5 s, cache_size 10000, "
                + "temp_store MEMORY, foreign_keys ON for every target");
        row(md, "load average (1 min) at start / end", String.format(Locale.ROOT, "%.2f / %.2f",
                settings.loadAverageAtStart(), settings.loadAverageAtEnd()));
        md.append('\n');
        if (!settings.note().isBlank()) {
            md.append("> ").append(settings.note()).append("\n\n");
        }

        md.append("## Load harness\n\n");
        md.append("ops/s over the measured window; `× serial` divides by one thread on one connection "
                + "(the serial limit), `× Hikari` by HikariCP (default settings) at the same thread count, "
                + "both from this run. Latency is per operation including the wait for a connection. "
                + "Every operation prepares its statements anew (`prepareStatement`, as `JdbcTemplate` does); "
                + "sqlite-pool reuses them from its statement cache (on by default), the serial connection and "
                + "HikariCP prepare them each time. `sqlite-pool, no statement cache` is the same pool with "
                + "`statement-cache-size: 0`.\n\n");
        for (Workload workload : settings.workloads()) {
            workloadTable(md, workload, settings.threads(), results);
        }

        md.append("## Targets (issue 3, sqlite-pool at ").append(TargetCheck.TARGET_THREADS).append(" threads)\n\n");
        md.append("| target | measured | met |\n|---|---|---|\n");
        for (TargetCheck.Outcome outcome : TargetCheck.evaluate(results, settings.threads(), jmh)) {
            md.append("| ").append(outcome.target()).append(" | ").append(outcome.measured()).append(" | ")
                    .append(outcome.met().map(m -> m ? "yes" : "**no**").orElse("–")).append(" |\n");
        }
        md.append('\n');

        md.append("## JMH: pool overhead\n\n");
        if (jmh.isEmpty()) {
            md.append("Not run (`--no-jmh`).\n");
        } else {
            md.append("Average time per operation (1 fork, 3 × 1 s warm-up, 5 × 1 s measured; ± is JMH's 99.9 % "
                    + "confidence half-width). `connectionCycle` = `getConnection()` + `close()`; "
                    + "`statementCycle` = lease, prepare `SELECT 1`, execute, read, close all.\n\n");
            md.append("| benchmark | threads | pool | ns/op | × HikariCP |\n|---|---:|---|---:|---:|\n");
            for (JmhResult r : jmh) {
                OptionalDouble ratio = jmh.stream()
                        .filter(h -> h.pool().equals("hikari") && h.benchmark().equals(r.benchmark())
                                && h.threads() == r.threads())
                        .mapToDouble(h -> r.nanosPerOp() / h.nanosPerOp()).findFirst();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f ± %.0f | %s |%n", r.benchmark(),
                        r.threads(), r.pool(), r.nanosPerOp(), r.error(), ratio(ratio)));
            }
        }
        Files.createDirectories(directory);
        Path file = directory.resolve("results.md");
        Files.writeString(file, md.toString());
        return file;
    }

    private static void workloadTable(StringBuilder md, Workload workload, List<Integer> threads, LoadResults results) {
        md.append("### ").append(workload.cliName()).append("\n\n");
        md.append("![").append(workload.cliName()).append("](").append(workload.cliName()).append(".png)\n\n");
        md.append("| target | threads | ops/s | × serial | × Hikari | errors | p50 | p99 | max |\n");
        md.append("|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
        results.serial(workload).ifPresent(serial -> cellRow(md, serial, results));
        List<CellResult> samples = results.serialSamples(workload);
        for (int n : threads) {
            for (Target target : Target.values()) {
                if (!target.serial()) {
                    results.find(workload, target, n).ifPresent(cell -> cellRow(md, cell, results));
                }
            }
        }
        if (samples.size() > 1) {
            md.append(String.format(Locale.ROOT, "%nSerial limit: the median of %d serial samples taken during this "
                            + "workload's run (%,.0f to %,.0f ops/s).%n", samples.size(),
                    samples.get(0).opsPerSecond(), samples.get(samples.size() - 1).opsPerSecond()));
        }
        md.append('\n');
    }

    private static void cellRow(StringBuilder md, CellResult cell, LoadResults results) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s | %s | %s | %s | %s |%n",
                cell.target().label(), cell.threads(), cell.opsPerSecond(), ratio(results.ratioToSerial(cell)),
                cell.target() == Target.HIKARI ? "1.00" : ratio(results.ratioToHikari(cell)),
                errors(cell.errors()), millis(cell.p50Nanos()), millis(cell.p99Nanos()), millis(cell.maxNanos())));
    }

    private static String errors(Map<String, Long> errors) {
        if (errors.isEmpty()) {
            return "0";
        }
        return errors.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "–";
    }

    /** A latency in milliseconds with precision that suits its size. */
    static String millis(long nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms < 10 ? "%.3f ms" : "%.0f ms", ms);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }
}
