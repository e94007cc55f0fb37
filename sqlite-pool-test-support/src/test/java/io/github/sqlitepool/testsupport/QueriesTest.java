package io.github.sqlitepool.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class QueriesTest {

    @Test
    void queryLongReturnsTheFirstColumnOfTheFirstRow() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            assertThat(Queries.queryLong(connection, "SELECT 42, 7 UNION ALL SELECT 1, 2")).isEqualTo(42);
            assertThat(Queries.queryLong(connection, "PRAGMA foreign_keys")).isZero();
        }
    }

    @Test
    void queryLongFailsWhenThereIsNoRow() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            assertThatThrownBy(() -> Queries.queryLong(connection, "SELECT 1 WHERE 0"))
                    .isInstanceOf(AssertionError.class).hasMessage("no row from SELECT 1 WHERE 0");
        }
    }
}
