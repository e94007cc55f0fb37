package io.github.sqlitepool.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the sample application while HTTP clients change story statuses: after every
 * kill, every change the API acknowledged (HTTP 200 with its version) is in the database file
 * with at least that version, and the file passes {@code integrity_check}. The log of
 * acknowledged writes is kept here, outside the database. The application restarts on the same
 * file each round, so recovery after a crash is exercised too.
 */
class SampleHttpCrashTest {

    private static final Logger log = LoggerFactory.getLogger(SampleHttpCrashTest.class);

    /** Rounds: 20; {@code -Dsqlite.pool.soak.http-crash-rounds} runs more or fewer. */
    private static final int ROUNDS = Integer.getInteger("sqlite.pool.soak.http-crash-rounds", 20);

    private static final int CLIENTS = 4;

    private static final Pattern VERSION = Pattern.compile("\"version\":(\\d+)");

    @TempDir
    Path dir;

    /** Story path to the highest version the API acknowledged for it. */
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();

    @Test
    void everyAcknowledgedStatusChangeSurvivesAKillNine() throws Exception {
        Path database = dir.resolve("crash.db");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int round = 0; round < ROUNDS; round++) {
            runRound(http, database, round);
            assertAcknowledgedWritesPresent(database, round);
        }
        log.info("HTTP crash: {} rounds, {} stories with acknowledged versions, all present", ROUNDS,
                acknowledged.size());
        assertThat(acknowledged).as("the API acknowledged writes before the kills").isNotEmpty();
    }

    private void runRound(HttpClient http, Path database, int round) throws Exception {
        int port = freePort();
        Process app = start(database, port);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> isUp(http, port));
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.execute(() -> write(http, port, round, client, stop));
            }
            // the random crash moment under test: requests are in flight when the process dies
            Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1500));
        } finally {
            app.toHandle().destroyForcibly(); // SIGKILL: no shutdown hooks, no pool close
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the application ended after SIGKILL").isTrue();
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).as("the clients stopped").isTrue();
        }
    }

    private Process start(Path database, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SampleApplication.class.getName(), "--server.port=" + port,
                "--sqlite.pool.url=jdbc:sqlite:" + database,
                "--sqlite.pool.state-manager.backup-dir=" + dir.resolve("backups"),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("app-" + port + ".log").toFile()).start();
    }

    private static boolean isUp(HttpClient http, int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Changes statuses until stopped or the application dies; records every acknowledged version. */
    private void write(HttpClient http, int port, int round, int client, AtomicBoolean stop) {
        String[] statuses = { "in_progress", "review", "completed" };
        for (int i = 0; !stop.get(); i++) {
            String path = "stories/" + round + "/" + client + "/" + (i % 25) + ".md";
            String body = "{\"epicPath\":\"epics/" + round + ".md\",\"status\":\"" + statuses[i % statuses.length] + "\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/stories/status?path=" + path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    Matcher version = VERSION.matcher(response.body());
                    assertThat(version.find()).as("an acknowledged change names its version: %s", response.body())
                            .isTrue();
                    acknowledged.merge(path, Long.parseLong(version.group(1)), Math::max);
                }
            } catch (IOException e) {
                return; // the application was killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void assertAcknowledgedWritesPresent(Path database, int round) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            try (Statement statement = connection.createStatement();
                    ResultSet check = statement.executeQuery("PRAGMA integrity_check")) {
                assertThat(check.next()).isTrue();
                assertThat(check.getString(1)).as("integrity_check after round %d", round).isEqualTo("ok");
            }
            if (acknowledged.isEmpty()) {
                return;
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT version FROM stories WHERE story_path = ?")) {
                for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                    select.setString(1, ack.getKey());
                    try (ResultSet row = select.executeQuery()) {
                        assertThat(row.next()).as("round %d: acknowledged story %s is present", round, ack.getKey())
                                .isTrue();
                        assertThat(row.getLong(1)).as("round %d: version of %s", round, ack.getKey())
                                .isGreaterThanOrEqualTo(ack.getValue());
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
