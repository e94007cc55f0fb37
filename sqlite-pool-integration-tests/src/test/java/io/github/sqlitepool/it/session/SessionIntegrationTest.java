package io.github.sqlitepool.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import io.github.sqlitepool.it.Database;
import io.github.sqlitepool.it.Integration;
import io.github.sqlitepool.it.TestApplications;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Spring Session JDBC on SQLite behind a real embedded server. */
class SessionIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void sessionsAreStoredWithTheDefaultFlushMode() throws Exception {
        addToCart(Database.POOL);
    }

    @Test
    void immediateFlushFromATransactionalServiceStoresSessionAndWorkOnThePlainDriver() throws Exception {
        addToCart(Database.PLAIN_DRIVER, "spring.session.jdbc.flush-mode=immediate");
    }

    // Issue 14, row 3: Spring Session saves in its own REQUIRES_NEW transaction while the service's
    // transaction is open; on the previous lane HTTP 500 ("write lane ... already holds the lane through another connection").
    @Test
    void immediateFlushFromATransactionalServiceStoresSessionAndWorkOnThePool() throws Exception {
        addToCart(Database.POOL, "spring.session.jdbc.flush-mode=immediate");
    }

    private void addToCart(Database database, String... properties) throws Exception {
        String[] all = concat(SessionApplication.PROPERTIES, properties);
        try (ConfigurableApplicationContext context = TestApplications.runWeb(database,
                TestApplications.url(dir, "session.db"), Set.of(Integration.SESSION), SessionApplication.class, all)) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            jdbc.sql("CREATE TABLE cart_item (item TEXT NOT NULL)").update();
            String port = context.getEnvironment().getRequiredProperty("local.server.port");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cart?item=book"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                    cookie -> assertThat(cookie).startsWith("SESSION="));
            assertThat(jdbc.sql("SELECT item FROM cart_item").query(String.class).list()).containsExactly("book");
            assertThat(jdbc.sql("SELECT count(*) FROM SPRING_SESSION").query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("SELECT ATTRIBUTE_NAME FROM SPRING_SESSION_ATTRIBUTES").query(String.class).list())
                    .containsExactly("last-item");
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
