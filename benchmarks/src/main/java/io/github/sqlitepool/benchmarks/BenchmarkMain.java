package io.github.sqlitepool.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.sqlitepool.benchmarks.jmh.JmhSuite;
import io.github.sqlitepool.benchmarks.jmh.JmhSuite.JmhResult;
import io.github.sqlitepool.benchmarks.load.CellResult;
import io.github.sqlitepool.benchmarks.load.LoadResults;
import io.github.sqlitepool.benchmarks.load.LoadRunner;
import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.benchmarks.load.Workload;
import io.github.sqlitepool.benchmarks.report.MachineInfo;
import io.github.sqlitepool.benchmarks.report.ResultsReport;
import io.github.sqlitepool.benchmarks.report.ThroughputChart;

/**
 * Runs the load harness and the JMH cycles, then writes {@code results.md} and one chart per
 * workload. Cells run one at a time, each on a fresh database. Within a workload, at each thread
 * count, every target runs once, always in the same order: that of {@code --targets}, by default
 * the order of {@link Target} (the serial reference first, then HikariCP before the sqlite-pool
 * targets). The serial reference is thus sampled again before each thread count, but within a run
 * a target measured later meets a later moment of the machine's load, and possibly a JIT warmed by
 * the targets before it (all run in this JVM); the fixed order does not even that out. For A/B
 * comparisons, change the order of {@code --targets} between runs or interleave whole runs.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchmarkOptions.usage());
            System.exit(2);
            return;
        }
        MachineInfo machine = MachineInfo.current();
        double loadAtStart = loadAverage();
        LoadResults results = runLoad(options);
        List<JmhResult> jmh = options.jmh() ? JmhSuite.run() : List.of();

        Path output = options.output();
        Files.createDirectories(output);
        for (Workload workload : options.workloads()) {
            ThroughputChart.write(results, workload, options.threads(), output);
        }
        Path report = ResultsReport.write(output, machine, new ResultsReport.RunSettings(options.warmup(),
                options.duration(), options.threads(), options.workloads(), options.synchronous(), options.note(), loadAtStart,
                loadAverage()),
                results, jmh);
        System.out.println("Wrote " + report.toAbsolutePath() + " and charts in " + output.toAbsolutePath());
    }

    /** The system's one-minute load average, a hint of how much else ran on the cores (negative where unknown). */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static LoadResults runLoad(BenchmarkOptions options) throws Exception {
        LoadRunner runner = new LoadRunner(options.warmup(), options.duration(), options.synchronous());
        LoadResults results = new LoadResults();
        for (Workload workload : options.workloads()) {
            for (int threads : options.threads()) {
                for (Target target : options.targets()) {
                    results.add(report(runner.run(workload, target, target.serial() ? 1 : threads)));
                }
            }
        }
        return results;
    }

    private static CellResult report(CellResult cell) {
        System.out.printf(Locale.ROOT, "%-6s %-20s %4d threads %10.0f ops/s %6d errors  p99 %8.3f ms  max %8.3f ms%n",
                cell.workload().cliName(), cell.target().cliName(), cell.threads(), cell.opsPerSecond(),
                cell.errorCount(), cell.p99Nanos() / 1e6, cell.maxNanos() / 1e6);
        return cell;
    }
}
