package io.github.sqlitepool.sample;

import static io.github.sqlitepool.sample.StatusRequests.putStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import javax.sql.DataSource;

import io.github.sqlitepool.pool.SqlitePool;
import io.github.sqlitepool.state.StateManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The sample started on a random port over a database in a temporary directory, driven through
 * real HTTP: the REST API over the StateManager, its errors, the Flyway-managed table, backups,
 * and Actuator's health and metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@DirtiesContext
class SampleApplicationTest {

    private static final String EPIC = "docs/epics/epic-1.md";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("sqlite.pool.url", () -> "jdbc:sqlite:" + dir.resolve("sample.db"));
        registry.add("sqlite.pool.name", () -> "sample-test");
        registry.add("sqlite.pool.state-manager.backup-dir", () -> dir.resolve("backups").toString());
    }

    @Autowired
    RestTestClient client;

    @Autowired
    StateManager stateManager;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void runsOnTheStartersPoolWithFlywayAndTheStateManagerInOneDatabase() {
        assertThat(dataSource).isInstanceOf(SqlitePool.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success",
                Integer.class)).isEqualTo(1);
        assertThat(stateManager.schemaVersion()).isEqualTo(2);
        assertThat(jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
    }

    @Test
    void statusUpdatesCreateThenVersionTheStoryAndRecordEachChange() {
        String story = "docs/stories/updates.md";
        putStatus(client, story, new StatusChangeRequest(EPIC, "in_progress", null, "dev", "picked up"))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("in_progress")
                .jsonPath("$.documentStatus").isEqualTo("In Progress")
                .jsonPath("$.phase").isEqualTo("dev")
                .jsonPath("$.version").isEqualTo(1);

        putStatus(client, story, new StatusChangeRequest(EPIC, "review", 1L, null, null))
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("review")
                .jsonPath("$.phase").isEqualTo("dev")
                .jsonPath("$.version").isEqualTo(2);

        client.get().uri("/api/stories?path={path}", story).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.storyPath").isEqualTo(story)
                .jsonPath("$.epicPath").isEqualTo(EPIC)
                .jsonPath("$.status").isEqualTo("review")
                .jsonPath("$.version").isEqualTo(2);

        client.get().uri("/api/stories?status=review").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.storyPath == '" + story + "')].version").isEqualTo(2);

        client.get().uri("/api/stories/history?path={path}", story).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.length()").isEqualTo(2)
                .jsonPath("$[0].fromStatus").isEmpty()
                .jsonPath("$[0].toStatus").isEqualTo("in_progress")
                .jsonPath("$[0].note").isEqualTo("picked up")
                .jsonPath("$[1].fromStatus").isEqualTo("in_progress")
                .jsonPath("$[1].toStatus").isEqualTo("review")
                .jsonPath("$[1].version").isEqualTo(2);
    }

    @Test
    void aStaleExpectedVersionIsAConflictAndChangesNothing() {
        String story = "docs/stories/conflict.md";
        putStatus(client, story, new StatusChangeRequest(EPIC, "in_progress", null, null, null))
                .expectStatus().isOk();
        putStatus(client, story, new StatusChangeRequest(EPIC, "review", 1L, null, null))
                .expectStatus().isOk();

        putStatus(client, story, new StatusChangeRequest(EPIC, "completed", 1L, null, "late writer"))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Version conflict")
                .jsonPath("$.expectedVersion").isEqualTo(1)
                .jsonPath("$.currentVersion").isEqualTo(2);

        assertThat(stateManager.getStory(story).status()).isEqualTo("review");
        assertThat(stateManager.getStory(story).version()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM status_changes WHERE story_path = ?", Integer.class,
                story)).isEqualTo(2);
    }

    @Test
    void anUnknownStoryIsNotFound() {
        client.get().uri("/api/stories?path={path}", "docs/stories/missing.md").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Story not found")
                .jsonPath("$.detail").isEqualTo("No story 'docs/stories/missing.md'");
        client.get().uri("/api/stories/history?path={path}", "docs/stories/missing.md").exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void badInputIsABadRequestAndWritesNothing() {
        String story = "docs/stories/bad-input.md";
        putStatus(client, story, new StatusChangeRequest(null, "pending", null, null, null))
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").isEqualTo("epicPath is required for a story status update, was null");
        putStatus(client, story, new StatusChangeRequest(EPIC, "shipped", null, null, null))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").value(String.class,
                        detail -> assertThat(detail).startsWith("Unknown status 'shipped'"));
        putStatus(client, story, new StatusChangeRequest(EPIC, null, null, null, null))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("status is required");
        client.put().uri("/api/stories/status?path={path}", story)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{not json")
                .exchange()
                .expectStatus().isBadRequest();
        client.get().uri("/api/stories?status=shipped").exchange()
                .expectStatus().isBadRequest();
        client.get().uri("/api/epics/summary").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("Required parameter 'path' is not present.");

        assertThat(stateManager.getStory(story)).isNull();
    }

    @Test
    void epicSummaryCountsItsStoriesPerStatus() {
        String epic = "docs/epics/summary.md";
        putStatus(client, "docs/stories/s1.md", new StatusChangeRequest(epic, "pending", null, null, null))
                .expectStatus().isOk();
        putStatus(client, "docs/stories/s2.md", new StatusChangeRequest(epic, "pending", null, null, null))
                .expectStatus().isOk();
        putStatus(client, "docs/stories/s3.md", new StatusChangeRequest(epic, "completed", null, null, null))
                .expectStatus().isOk();

        client.get().uri("/api/epics/summary?path={path}", epic).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.epicPath").isEqualTo(epic)
                .jsonPath("$.counts.pending").isEqualTo(2)
                .jsonPath("$.counts.completed").isEqualTo(1)
                .jsonPath("$.total").isEqualTo(3);
    }

    @Test
    void aBackupIsCreatedAndVerifies() throws Exception {
        String story = "docs/stories/backed-up.md";
        putStatus(client, story, new StatusChangeRequest(EPIC, "completed", null, null, null))
                .expectStatus().isOk();

        BackupBody backup = client.post().uri("/api/backups").exchange()
                .expectStatus().isCreated()
                .expectBody(BackupBody.class)
                .returnResult()
                .getResponseBody();

        assertThat(backup).isNotNull();
        assertThat(backup.verified()).isTrue();
        Path file = Path.of(backup.file());
        assertThat(file).exists().hasParent(dir.resolve("backups"));
        assertThat(Files.size(file)).isEqualTo(backup.bytes()).isPositive();
        stateManager.verifyBackup(file);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement statement = connection
                        .prepareStatement("SELECT status FROM stories WHERE story_path = ?")) {
            statement.setString(1, story);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("completed");
            }
        }
    }

    @Test
    void healthShowsTheSqliteContributorUpWithPoolDetails() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.sqlite.status").isEqualTo("UP")
                .jsonPath("$.components.sqlite.details.pool").isEqualTo("sample-test")
                .jsonPath("$.components.sqlite.details.max").isEqualTo(5)
                .jsonPath("$.components.sqlite.details.active").isNumber()
                .jsonPath("$.components.sqlite.details.idle").isNumber()
                .jsonPath("$.components.sqlite.details.waiting").isEqualTo(0)
                .jsonPath("$.components.sqlite.details.writeLane.enabled").isEqualTo(true)
                .jsonPath("$.components.sqlite.details.journalMode").isEqualTo("wal")
                .jsonPath("$.components.sqlite.details.database").isEqualTo(dir.resolve("sample.db").toString());
    }

    @Test
    void metricsExposeThePoolsActiveConnectionsGauge() {
        client.get().uri("/actuator/metrics/sqlite.pool.connections.active").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.name").isEqualTo("sqlite.pool.connections.active")
                .jsonPath("$.availableTags[?(@.tag == 'pool')].values[0]").isEqualTo("sample-test")
                .jsonPath("$.measurements[0].statistic").isEqualTo("VALUE")
                .jsonPath("$.measurements[0].value").isNumber();
    }

    /** The backup endpoint's answer as the client reads it. */
    record BackupBody(String file, long bytes, boolean verified) {
    }
}
