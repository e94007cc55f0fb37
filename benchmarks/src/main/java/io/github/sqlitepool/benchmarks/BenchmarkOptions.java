package io.github.sqlitepool.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.github.sqlitepool.benchmarks.load.Target;
import io.github.sqlitepool.benchmarks.load.Workload;
import io.github.sqlitepool.pool.config.Synchronous;

/**
 * The command line of {@link BenchmarkMain}. Every flag has a default that gives the full
 * run documented in {@code docs/benchmarks/README.md}.
 */
record BenchmarkOptions(Duration warmup, Duration duration, List<Integer> threads, List<Workload> workloads,
                        List<Target> targets, Synchronous synchronous, boolean jmh, Path output, String note) {

    static final String USAGE = """
            Usage: java -jar benchmarks/target/benchmarks.jar [flags]
              --duration SECONDS   measured window per cell (default 3)
              --warmup SECONDS     warm-up per cell, not measured (default 1)
              --threads LIST       thread counts, comma-separated (default 1,2,4,16,64,256)
              --workloads LIST     read,write,rmw,think,mixed (default), and blend
              --targets LIST       %s (default all; serial is always run, it is the reference)
              --synchronous MODE   NORMAL or FULL: PRAGMA synchronous for every target (default NORMAL)
              --no-jmh             skip the JMH connection and statement cycles
              --output DIR         where results.md and the charts go (default docs/benchmarks)
              --note TEXT          a remark for the report, e.g. what else ran on the machine
            Pooled targets have 8 connections; java -Dsqlite.pool.bench.pool-size=N -jar ... changes that.
            The group targets' min-commit-time is 100 us; -Dsqlite.pool.bench.min-commit-micros=N changes it.
            """;

    static BenchmarkOptions defaults() {
        return new BenchmarkOptions(Duration.ofSeconds(1), Duration.ofSeconds(3), List.of(1, 2, 4, 16, 64, 256),
                Workload.DEFAULT_RUN, List.of(Target.values()), Synchronous.NORMAL, true,
                Path.of("docs", "benchmarks"), "");
    }

    static String usage() {
        return USAGE.formatted(String.join(",", Arrays.stream(Target.values()).map(Target::cliName).toList()));
    }

    /**
     * @throws IllegalArgumentException naming the flag when one is unknown or its value is not usable
     */
    static BenchmarkOptions parse(String... args) {
        BenchmarkOptions d = defaults();
        Duration warmup = d.warmup;
        Duration duration = d.duration;
        List<Integer> threads = d.threads;
        List<Workload> workloads = d.workloads;
        List<Target> targets = d.targets;
        Synchronous synchronous = d.synchronous;
        boolean jmh = d.jmh;
        Path output = d.output;
        String note = d.note;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--no-jmh")) {
                jmh = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--duration" -> duration = seconds(flag, value);
                case "--warmup" -> warmup = seconds(flag, value);
                case "--threads" -> threads = list(flag, value, BenchmarkOptions::threadCount);
                case "--workloads" -> workloads = list(flag, value, Workload::fromCliName);
                case "--targets" -> targets = withSerial(list(flag, value, Target::fromCliName));
                case "--synchronous" -> synchronous = synchronous(value);
                case "--output" -> output = Path.of(value);
                case "--note" -> note = value;
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return new BenchmarkOptions(warmup, duration, threads, workloads, targets, synchronous, jmh, output, note);
    }

    private static Duration seconds(String flag, String value) {
        try {
            Duration d = Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
            if (d.isNegative() || (flag.equals("--duration") && d.isZero())) {
                throw new IllegalArgumentException(flag + " must be positive, was " + value);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number of seconds, was " + value, e);
        }
    }

    private static Synchronous synchronous(String value) {
        String mode = value.trim().toUpperCase(Locale.ROOT);
        if (!mode.equals("NORMAL") && !mode.equals("FULL")) {
            throw new IllegalArgumentException("--synchronous must be NORMAL or FULL, was '" + value + "'");
        }
        return Synchronous.valueOf(mode);
    }

    private static Integer threadCount(String value) {
        int n = Integer.parseInt(value.trim());
        if (n < 1 || n > 4096) {
            throw new IllegalArgumentException("a thread count must be between 1 and 4096, was " + n);
        }
        return n;
    }

    private static <T> List<T> list(String flag, String value, Function<String, T> parse) {
        List<T> items = new ArrayList<>();
        try {
            for (String part : value.split(",")) {
                T item = parse.apply(part);
                if (!items.contains(item)) {
                    items.add(item);
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
        return List.copyOf(items);
    }

    private static List<Target> withSerial(List<Target> targets) {
        if (targets.contains(Target.SERIAL)) {
            return targets;
        }
        List<Target> all = new ArrayList<>();
        all.add(Target.SERIAL);
        all.addAll(targets);
        return List.copyOf(all);
    }
}
