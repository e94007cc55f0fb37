package io.github.sqlitepool.sample;

import static io.github.sqlitepool.sample.StatusRequests.putStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.github.sqlitepool.state.StateManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * What a client that gets things wrong sees: an unambiguous API, unknown JSON fields refused,
 * bounded request sizes, text that must round-trip, and problem details for every error.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@DirtiesContext
class SampleApiErrorsTest {

    private static final String EPIC = "docs/epics/epic-errors.md";

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("sqlite.pool.url", () -> "jdbc:sqlite:" + dir.resolve("sample.db"));
        registry.add("sqlite.pool.state-manager.backup-dir", () -> dir.resolve("backups").toString());
    }

    @Autowired
    RestTestClient client;

    @Autowired
    StateManager stateManager;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A request the test client cannot make: a chunked body, or a URI with raw percent-escapes. */
    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pathAndStatusTogetherIsABadRequestNotAnAmbiguousHandler() {
        client.get().uri("/api/stories?path={path}&status={status}", "docs/stories/x.md", "pending").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").isEqualTo("Give either path (one story) or status (stories with that status), not both");
    }

    @Test
    void aMisspelledExpectedVersionIsRefusedAndChangesNothing() {
        String story = "docs/stories/typo.md";
        putStatus(client, story, new StatusChangeRequest(EPIC, "in_progress", null, null, null)).expectStatus().isOk();

        client.put().uri("/api/stories/status?path={path}", story)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"epicPath\":\"" + EPIC + "\",\"status\":\"completed\",\"expected_version\":7}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").isEqualTo("Unknown field 'expected_version'; known fields: epicPath, "
                        + "expectedVersion, note, phase, status");

        assertThat(stateManager.getStory(story).status()).isEqualTo("in_progress");
        assertThat(stateManager.getStory(story).version()).isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String story = "docs/stories/big.md";
        String note = "x".repeat(70 * 1024);
        client.put().uri("/api/stories/status?path={path}", story)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"epicPath\":\"" + EPIC + "\",\"status\":\"pending\",\"note\":\"" + note + "\"}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("at most 65536 are accepted (sample.max-request-body)"));
        assertThat(stateManager.getStory(story)).isNull();
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOff() throws Exception {
        String story = "docs/stories/chunked.md";
        byte[] body = ("{\"epicPath\":\"" + EPIC + "\",\"status\":\"pending\",\"note\":\"" + "y".repeat(70 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/stories/status?path=" + story))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("larger than 65536 bytes");
        assertThat(stateManager.getStory(story)).isNull();
    }

    @Test
    void aNoteLongerThanTheFieldLimitIsABadRequest() {
        putStatus(client, "docs/stories/long-note.md",
                new StatusChangeRequest(EPIC, "pending", null, null, "n".repeat(TextInput.MAX_TEXT_LENGTH + 1)))
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("note is 4001 characters long; at most 4000 are accepted");
    }

    @Test
    void aLoneSurrogateInTheJsonBodyIsRefused() {
        String story = "docs/stories/surrogate.md";
        client.put().uri("/api/stories/status?path={path}", story)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"epicPath\":\"docs/epics/\\ud800.md\",\"status\":\"pending\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").isEqualTo("epicPath contains a lone UTF-16 surrogate (\\ud800) at index 11, "
                        + "which cannot be stored as sent");
        assertThat(stateManager.getStory(story)).isNull();
    }

    @Test
    void aStoryPathThatIsNotValidUtf8IsRefused() throws Exception {
        // %ED%A0%80 is a surrogate encoded as UTF-8 bytes, which UTF-8 does not allow.
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/stories/status?path=docs/stories/%ED%A0%80.md"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"epicPath\":\"" + EPIC + "\",\"status\":\"pending\"}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(stateManager.getAllStories()).extracting(s -> s.storyPath())
                .noneMatch(path -> path.contains("\uFFFD") || path.contains("?"));
    }

    @Test
    void anUnknownUrlIsAProblemDetailToo() {
        client.get().uri("/api/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
