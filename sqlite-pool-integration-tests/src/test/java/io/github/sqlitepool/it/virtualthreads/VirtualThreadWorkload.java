package io.github.sqlitepool.it.virtualthreads;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.TestApplications;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs in a child JVM of Java 21 or later (the module compiles for 17, so virtual threads are
 * reached by reflection): {@value #TASKS} virtual threads mixing reads, writes and read-then-write
 * transactions on an application with the starter, while JFR records {@code jdk.VirtualThreadPinned}
 * at any duration (from after an unrecorded warm-up round of {@value #WARM_UP_TASKS} tasks). Prints one {@code RESULT} line that {@link VirtualThreadIntegrationTest} checks,
 * and a {@code PINNED} line with the top frames of each pinning event.
 */
public final class VirtualThreadWorkload {

    static final int TASKS = 2_000;

    static final int WARM_UP_TASKS = 300;

    static final String PINNED_EVENT = "jdk.VirtualThreadPinned";

    private VirtualThreadWorkload() {
    }

    /** {@code args[0]}: directory for the database and the JFR recording. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path recordingFile = dir.resolve("pinning.jfr");
        Map<String, Long> result;
        List<String> pinnings = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable(PINNED_EVENT).withThreshold(Duration.ZERO).withStackTrace();
            result = runWorkload(TestApplications.url(dir, "virtual.db"), recording);
            recording.stop();
            recording.dump(recordingFile);
        }
        for (RecordedEvent event : RecordingFile.readAllEvents(recordingFile)) {
            if (event.getEventType().getName().equals(PINNED_EVENT)) {
                pinnings.add(topFrames(event));
            }
        }
        Files.deleteIfExists(recordingFile);
        pinnings.forEach(pinning -> System.out.println("PINNED " + pinning));
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        line.append(" pinned=").append(pinnings.size());
        System.out.println(line);
        System.exit(0);
    }

    private static Map<String, Long> runWorkload(String url, Recording recording) throws Exception {
        try (ConfigurableApplicationContext context = TestApplications.run(Database.POOL, url, Set.of(),
                WorkloadApplication.class, "spring.threads.virtual.enabled=true")) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            jdbc.sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, hits INTEGER NOT NULL)").update();
            jdbc.sql("INSERT INTO counter VALUES (1, 0)").update();
            jdbc.sql("CREATE TABLE entry (id INTEGER PRIMARY KEY, task INTEGER NOT NULL)").update();
            Mix mix = new Mix(jdbc, new TransactionTemplate(context.getBean(PlatformTransactionManager.class)));
            // A virtual thread that loads or initialises a class is pinned while it does (a JDK
            // limitation that JEP 491 leaves). A first, unrecorded round of the same mix loads
            // every class the workload needs, contended paths included, so that the recording
            // sees the pool's steady state.
            mix.runRound(WARM_UP_TASKS);
            recording.start();
            mix.runRound(TASKS);
            mix.errors.stream().limit(5).forEach(error -> error.printStackTrace(System.out));
            return Map.of(
                    "tasks", (long) TASKS,
                    "warmUpTasks", (long) WARM_UP_TASKS,
                    "virtual", (long) mix.onVirtualThreads.get(),
                    "errors", (long) mix.errors.size(),
                    "writes", (long) mix.writes.get(),
                    "entries", jdbc.sql("SELECT count(*) FROM entry").query(Long.class).single(),
                    "readThenWrites", (long) mix.readThenWrites.get(),
                    "hits", jdbc.sql("SELECT hits FROM counter WHERE id = 1").query(Long.class).single());
        }
    }

    /** Reads, inserts and read-then-write transactions, one task a virtual thread. */
    private static final class Mix {

        private final JdbcClient jdbc;

        private final TransactionTemplate transactions;

        private final Method isVirtual;

        final AtomicInteger onVirtualThreads = new AtomicInteger();

        final AtomicInteger writes = new AtomicInteger();

        final AtomicInteger readThenWrites = new AtomicInteger();

        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();

        Mix(JdbcClient jdbc, TransactionTemplate transactions) throws NoSuchMethodException {
            this.jdbc = jdbc;
            this.transactions = transactions;
            this.isVirtual = Thread.class.getMethod("isVirtual");
        }

        void runRound(int tasks) throws Exception {
            ExecutorService executor = (ExecutorService) Executors.class
                    .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int task = 0; task < tasks; task++) {
                    int id = task;
                    futures.add(executor.submit(() -> run(id)));
                }
                for (Future<?> future : futures) {
                    future.get(90, TimeUnit.SECONDS);
                }
            }
            finally {
                executor.shutdownNow();
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    errors.add(new IllegalStateException("virtual threads still running 10 s after shutdownNow"));
                }
            }
        }

        private void run(int task) {
            try {
                if ((Boolean) isVirtual.invoke(Thread.currentThread())) {
                    onVirtualThreads.incrementAndGet();
                }
                switch (task % 3) {
                    case 0 -> jdbc.sql("SELECT count(*) FROM entry").query(Long.class).single();
                    case 1 -> {
                        jdbc.sql("INSERT INTO entry (task) VALUES (?)").param(task).update();
                        writes.incrementAndGet();
                    }
                    default -> {
                        transactions.executeWithoutResult(status -> {
                            long hits = jdbc.sql("SELECT hits FROM counter WHERE id = 1").query(Long.class).single();
                            jdbc.sql("UPDATE counter SET hits = ? WHERE id = 1").param(hits + 1).update();
                        });
                        readThenWrites.incrementAndGet();
                    }
                }
            }
            catch (Throwable error) {
                errors.add(error);
            }
        }
    }

    private static String topFrames(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return "(no stack trace)";
        }
        StringBuilder frames = new StringBuilder();
        List<RecordedFrame> all = event.getStackTrace().getFrames();
        for (int i = 0; i < Math.min(8, all.size()); i++) {
            RecordedFrame frame = all.get(i);
            frames.append(" <- ").append(frame.getMethod().getType().getName()).append('.')
                    .append(frame.getMethod().getName());
        }
        return frames.toString();
    }

    /** An application with only the starter. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WorkloadApplication {
    }
}
