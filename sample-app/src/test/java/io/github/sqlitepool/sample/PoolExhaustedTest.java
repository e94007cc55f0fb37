package io.github.sqlitepool.sample;

import static io.github.sqlitepool.sample.StatusRequests.putStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * With a pool of one connection that the test holds, the API answers 503 after
 * {@code acquire-timeout}, for a read (JdbcTemplate's {@code CannotGetJdbcConnectionException})
 * and for a write (the transaction that cannot begin), and recovers once the lease is returned.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "sqlite.pool.max-connections=1", "sqlite.pool.acquire-timeout=200ms" })
@AutoConfigureRestTestClient
@DirtiesContext
class PoolExhaustedTest {

    private static final String STORY = "docs/stories/busy.md";

    private static final StatusChangeRequest PENDING = new StatusChangeRequest("docs/epics/e.md", "pending", null,
            null, null);

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
    DataSource dataSource;

    @Test
    void answers503WhileThePoolIsExhaustedAndRecoversAfterwards() throws Exception {
        try (Connection onlyLease = dataSource.getConnection()) {
            client.get().uri("/api/stories?path={path}", STORY).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                    .expectBody()
                    .jsonPath("$.title").isEqualTo("Database busy")
                    .jsonPath("$.detail").value(String.class,
                            detail -> assertThat(detail).startsWith("Database connection pool exhausted"));

            putStatus(client, STORY, PENDING)
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.detail").value(String.class,
                            detail -> assertThat(detail).startsWith("Database connection pool exhausted"));
        }

        client.get().uri("/api/stories?path={path}", STORY).exchange()
                .expectStatus().isNotFound();
        putStatus(client, STORY, PENDING)
                .expectStatus().isOk();
    }
}
