package io.github.sqlitepool.benchmarks.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the connection and statement cycles at 1 and 8 threads, short by design: one fork,
 * three 1-second warm-up and five 1-second measured iterations per case (about a minute and a
 * half in all). For tighter error bars run JMH directly with more forks (see the README).
 */
public final class JmhSuite {

    /** Thread counts every cycle is measured at. */
    public static final int[] THREADS = {1, 8};

    /** One benchmark case's mean time per operation and its 99.9 % confidence half-width. */
    public record JmhResult(String benchmark, String pool, int threads, double nanosPerOp, double error) {
    }

    private JmhSuite() {
    }

    public static List<JmhResult> run() throws RunnerException {
        List<JmhResult> results = new ArrayList<>();
        for (int threads : THREADS) {
            Options options = new OptionsBuilder()
                    .include(ConnectionCycleBenchmark.class.getName())
                    .include(StatementCycleBenchmark.class.getName())
                    .include(RowMappingBenchmark.class.getName())
                    .threads(threads)
                    .forks(1)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(1))
                    .timeUnit(TimeUnit.NANOSECONDS)
                    .shouldFailOnError(true)
                    .build();
            Collection<RunResult> run = new Runner(options).run();
            for (RunResult r : run) {
                String label = r.getParams().getBenchmark();
                results.add(new JmhResult(label.substring(label.lastIndexOf('.') + 1), r.getParams().getParam("pool"),
                        threads, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
            }
        }
        return results;
    }
}
