package io.github.sqlitepool.pool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing {@code jdbc:sqlite:} URLs into a file or a shared in-memory database. */
class SqliteUrlTest {

    @Test
    void aPlainPathIsAFile() {
        SqliteUrl url = SqliteUrl.parse("jdbc:sqlite:data/app.db");
        assertThat(url.inMemory()).isFalse();
        assertThat(url.file()).contains(Path.of("data/app.db").toAbsolutePath());
        assertThat(url.connectUrl()).isEqualTo("jdbc:sqlite:data/app.db");
        assertThat(url.url()).isEqualTo("jdbc:sqlite:data/app.db");
        assertThat(url).hasToString("jdbc:sqlite:data/app.db");
    }

    @Test
    void aFileUriIsAFileWithItsQueryKept() {
        SqliteUrl url = SqliteUrl.parse("jdbc:sqlite:file:/var/lib/app%20data/app.db?cache=private");
        assertThat(url.inMemory()).isFalse();
        assertThat(url.file()).contains(Path.of("/var/lib/app data/app.db"));
        assertThat(url.connectUrl()).isEqualTo("jdbc:sqlite:file:/var/lib/app%20data/app.db?cache=private");
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:///tmp/x.db").file()).contains(Path.of("/tmp/x.db"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite::memory:", "jdbc:sqlite:file::memory:", "jdbc:sqlite:file:?mode=memory",
            "jdbc:sqlite:file::memory:?cache=shared"})
    void anonymousInMemoryUrlsGetAUniqueSharedName(String text) {
        SqliteUrl first = SqliteUrl.parse(text);
        SqliteUrl second = SqliteUrl.parse(text);
        assertThat(first.inMemory()).isTrue();
        assertThat(first.file()).isEmpty();
        assertThat(first.connectUrl()).startsWith("jdbc:sqlite:file:/sqlite-pool/anonymous-").endsWith("?vfs=memdb");
        assertThat(first.connectUrl()).isNotEqualTo(second.connectUrl());
        assertThat(first.url()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite:file:cache?mode=memory", "jdbc:sqlite:file:cache?mode=memory&cache=shared",
            "jdbc:sqlite:file:cache?cache=shared&mode=memory"})
    void namedInMemoryUrlsKeepTheirName(String text) {
        SqliteUrl url = SqliteUrl.parse(text);
        assertThat(url.inMemory()).isTrue();
        assertThat(url.connectUrl()).isEqualTo("jdbc:sqlite:file:/sqlite-pool/cache?vfs=memdb");
    }

    @Test
    void unsafeCharactersInAMemoryNameDoNotReachTheUrl() {
        SqliteUrl url = SqliteUrl.parse("jdbc:sqlite:file:a/b c'd%20..?mode=memory");
        assertThat(url.connectUrl()).startsWith("jdbc:sqlite:file:/sqlite-pool/").endsWith("?vfs=memdb");
        assertThat(url.inMemory()).isTrue();
        assertThat(url.connectUrl().substring("jdbc:sqlite:file:/sqlite-pool/".length()))
                .matches("[A-Za-z0-9_.-]+\\?vfs=memdb");
    }

    @Test
    void readOnlyIsTheModeParameterNotTextAnywhereInTheUrl() {
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:app.db?mode=ro").readOnly()).isTrue();
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:app.db?cache=private&mode=ro").readOnly()).isTrue();
        assertThat(SqliteUrl.parse("jdbc:sqlite:/data/mode=root.db").readOnly()).isFalse();
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:app.db?mode=rwc").readOnly()).isFalse();
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:mem?mode=memory").readOnly()).isFalse();
        assertThat(SqliteUrl.parse("jdbc:sqlite:data/app.db").readOnly()).isFalse();
    }

    @Test
    void aModeOtherThanMemoryIsAFile() {
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:app.db?mode=rwc").inMemory()).isFalse();
        assertThat(SqliteUrl.parse("jdbc:sqlite:file:app.db?xmode=memory").inMemory()).isFalse();
    }

    @Test
    void invalidUrlsNameTheProperty() {
        assertThatThrownBy(() -> SqliteUrl.parse(null)).isInstanceOf(PoolConfigurationException.class)
                .hasMessage("sqlite.pool.url must be set, was null");
        assertThatThrownBy(() -> SqliteUrl.parse("jdbc:mysql://x/y"))
                .hasMessage("sqlite.pool.url must start with jdbc:sqlite:, was 'jdbc:mysql://x/y'");
        assertThatThrownBy(() -> SqliteUrl.parse("jdbc:sqlite:app.db\nx"))
                .hasMessage("sqlite.pool.url must not contain control characters, was 'jdbc:sqlite:app.db\\nx'");
        assertThatThrownBy(() -> SqliteUrl.parse("jdbc:sqlite:?mode=rwc"))
                .hasMessage("sqlite.pool.url must name a database file or :memory:, was 'jdbc:sqlite:?mode=rwc'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:sqlite:", "jdbc:sqlite:file:", "jdbc:sqlite:file:?cache=shared"})
    void anEmptyPathIsRefusedSayingHowToAskForMemory(String url) {
        assertThatThrownBy(() -> SqliteUrl.parse(url)).isInstanceOf(PoolConfigurationException.class)
                .hasMessageStartingWith("sqlite.pool.url names no database file")
                .hasMessageContaining("jdbc:sqlite::memory:").hasMessageContaining("jdbc:sqlite:file::memory:")
                .hasMessageEndingWith("was '" + url + "'");
    }
}
