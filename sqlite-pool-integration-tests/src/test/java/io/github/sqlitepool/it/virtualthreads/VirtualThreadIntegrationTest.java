package io.github.sqlitepool.it.virtualthreads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 virtual threads on the starter's pool, run by {@link VirtualThreadWorkload} in a child JVM
 * of Java 21 or later (this module compiles for 17). The JDK is the one named by the system
 * property {@value #JDK_PROPERTY}, else the newest of Java 21 or later under /usr/lib/jvm; the test
 * is skipped when there is none.
 */
class VirtualThreadIntegrationTest {

    static final String JDK_PROPERTY = "sqlite.pool.it.virtual-threads-jdk";

    @TempDir
    Path dir;

    @Test
    void twoThousandVirtualThreadsMixingReadsWritesAndReadThenWriteTransactionsEndWithoutErrorsOrPinning()
            throws Exception {
        Optional<Path> java = newerJava();
        Assumptions.assumeTrue(java.isPresent(), "no JDK 21 or later: set -D" + JDK_PROPERTY + "=<JAVA_HOME>");
        Path output = dir.resolve("workload.out");
        Process child = new ProcessBuilder(java.get().toString(), "-cp", testClassPath(),
                VirtualThreadWorkload.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = child.waitFor(100, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(exited).as("workload ended within 100 s; it printed:%n%s", printed).isTrue();
        assertThat(child.exitValue()).as(printed).isZero();

        Map<String, Long> result = result(printed);
        printed.lines().filter(line -> line.startsWith("RESULT ")).forEach(System.out::println);
        assertThat(result).as(printed).containsKeys("tasks", "errors", "pinned");
        assertThat(result.get("tasks")).isEqualTo(VirtualThreadWorkload.TASKS);
        assertThat(result.get("virtual")).as("tasks that ran on virtual threads")
                .isEqualTo(VirtualThreadWorkload.TASKS + VirtualThreadWorkload.WARM_UP_TASKS);
        assertThat(result.get("errors")).as(printed).isZero();
        assertThat(result.get("pinned")).as("jdk.VirtualThreadPinned events:%n%s", printed).isZero();
        assertThat(result.get("entries")).isEqualTo(result.get("writes"));
        assertThat(result.get("hits")).isEqualTo(result.get("readThenWrites"));
    }

    private static Map<String, Long> result(String printed) {
        Map<String, Long> values = new HashMap<>();
        printed.lines().filter(line -> line.startsWith("RESULT ")).reduce((first, last) -> last)
                .ifPresent(line -> {
                    for (String pair : line.substring("RESULT ".length()).split(" ")) {
                        String[] keyValue = pair.split("=");
                        values.put(keyValue[0], Long.parseLong(keyValue[1]));
                    }
                });
        return values;
    }

    /** The classpath of this test run (Surefire hides it behind a manifest-only jar otherwise). */
    private static String testClassPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private static Optional<Path> newerJava() {
        String configured = System.getProperty(JDK_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured, "bin", "java"));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            List<Path> candidates = homes.filter(home -> majorVersion(home) >= 21)
                    .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .sorted((a, b) -> Integer.compare(majorVersion(b), majorVersion(a)))
                    .toList();
            return candidates.stream().findFirst().map(home -> home.resolve("bin/java"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The major version in a JDK's {@code release} file, or 0 when it has none. */
    private static int majorVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(release)) {
            return lines.filter(line -> line.startsWith("JAVA_VERSION="))
                    .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .map(version -> Integer.parseInt(version.split("[.+-]")[0]))
                    .findFirst().orElse(0);
        }
        catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
