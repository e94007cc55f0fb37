package io.github.sqlitepool.pool;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Threads a test uses to wait or close in the background, stopped after each test. A thread
 * that does not end within 10 s of an interrupt is a stuck pool call, and fails the test.
 */
public final class HelperThreads implements Executor, AfterEachCallback {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    public Future<?> submit(Runnable task) {
        return executor.submit(task);
    }

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("helper threads still running 10 s after shutdownNow: a pool call is stuck");
        }
    }
}
