package io.github.sqlitepool.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child JVM, started on this JVM's class path, whose standard output is read line by line
 * until it is killed: the crash tests start one that writes, kill it with SIGKILL at a random
 * moment and look at what it reported before it died.
 *
 * <p>The child's protocol: every line it reports ends with {@code " END"}, so that a line the
 * kill cut short is recognised and dropped; it prints {@code READY END} when its work begins.
 * Its standard error is discarded.
 */
public final class ChildJvm {

    /** What ends every complete line. */
    public static final String END = " END";

    /** The line the child prints when its work begins. */
    public static final String READY = "READY" + END;

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private final CountDownLatch ready = new CountDownLatch(1);

    private final CompletableFuture<Void> reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = CompletableFuture.runAsync(this::readCompleteLines);
    }

    /**
     * Starts {@code mainClass} in a new JVM with this JVM's {@code java} and class path, and
     * starts reading its output.
     *
     * @param jvmOptions options before the class path, such as {@code -Xmx128m}
     * @param mainClass the class whose {@code main} the child runs
     * @param args the arguments of that {@code main}
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new ChildJvm(process);
    }

    /** Waits until the child printed {@link #READY}; false if it did not within {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a complete line the child printed so far matches {@code condition}. */
    public boolean hasLine(Predicate<String> condition) {
        synchronized (lines) {
            return lines.stream().anyMatch(condition);
        }
    }

    /**
     * Kills the child with SIGKILL (on Linux): no shutdown hooks, no cleanup. Through the process
     * handle, so that the pipe stays open for the reader to drain what the child wrote before it
     * died. Does not wait; {@link #awaitExit()} does.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * Waits (30 s at most, failing the test after that) until the child ended and its output
     * was read to the end; returns every complete line it printed, in order.
     */
    public List<String> awaitExit() throws InterruptedException, ExecutionException, TimeoutException {
        assertThat(process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("child ended after SIGKILL")
                .isTrue();
        reader.get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return lines;
    }

    /** Collects the lines the child finished writing; a line cut by the kill has no END and is dropped. */
    private void readCompleteLines() {
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.endsWith(END)) {
                    lines.add(line);
                }
                if (line.equals(READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
