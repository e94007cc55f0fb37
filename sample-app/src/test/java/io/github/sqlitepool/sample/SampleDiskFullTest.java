package io.github.sqlitepool.sample;

import static io.github.sqlitepool.sample.StatusRequests.putStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

/** A full database is a 500 problem detail that says the disk is full, not a bare error page. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@DirtiesContext
class SampleDiskFullTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("sqlite.pool.url", () -> "jdbc:sqlite:" + dir.resolve("small.db"));
        registry.add("sqlite.pool.state-manager.backup-dir", () -> dir.resolve("backups").toString());
        // Room for the schema and a few dozen notes: a database that fills up as a disk would.
        registry.add("sqlite.pool.pragmas.extra.max_page_count", () -> "48");
    }

    @Autowired
    RestTestClient client;

    @Test
    void aFullDatabaseIsA500ProblemDetailSayingSo() {
        String note = "n".repeat(3_500);
        ResponseSpec failed = null;
        for (int i = 0; i < 200 && failed == null; i++) {
            ResponseSpec response = putStatus(client, "docs/stories/full-" + i + ".md",
                    new StatusChangeRequest("docs/epics/full.md", "pending", null, null, note));
            int status = response.returnResult(String.class).getStatus().value();
            if (status != 200) {
                failed = putStatus(client, "docs/stories/full-" + i + ".md",
                        new StatusChangeRequest("docs/epics/full.md", "pending", null, null, note));
            }
        }
        assertThat(failed).as("the database filled up within 200 notes").isNotNull();
        failed.expectStatus().isEqualTo(500)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Database unavailable")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .startsWith("The database refused the operation: ").contains("SQLITE_FULL"));
    }
}
