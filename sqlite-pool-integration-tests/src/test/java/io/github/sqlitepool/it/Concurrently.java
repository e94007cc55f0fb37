package io.github.sqlitepool.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs the same work on several platform threads at once, bounded in time. */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs {@code work} once on each of {@code threads} threads and waits for all of them, at most
     * 90 s each; a failure of any thread is rethrown (wrapped in an {@code ExecutionException}).
     */
    public static void run(int threads, Runnable work) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(work));
            }
            for (Future<?> future : futures) {
                future.get(90, TimeUnit.SECONDS);
            }
        }
        finally {
            executor.shutdownNow();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).as("threads ended").isTrue();
        }
    }
}
