package io.github.sqlitepool.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class EveryConnectionTest {

    @TempDir
    Path dir;

    private SQLiteDataSource dataSource() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + dir.resolve("every.db"));
        return dataSource;
    }

    @Test
    void checksEachOfTheConnectionsWhileAllAreOpenThenClosesThem() throws SQLException {
        List<Connection> checked = new ArrayList<>();
        List<Connection> openAtCheck = new ArrayList<>();
        EveryConnection.check(dataSource(), 3, connection -> {
            checked.add(connection);
            openAtCheck.addAll(checked.stream().filter(this::isOpen).toList());
        });
        assertThat(checked).hasSize(3).doesNotHaveDuplicates();
        assertThat(openAtCheck).as("every connection taken before the first check").hasSize(1 + 2 + 3);
        assertThat(checked).noneMatch(this::isOpen);
    }

    @Test
    void aFailedCheckStillClosesEveryConnection() throws SQLException {
        List<Connection> checked = new ArrayList<>();
        assertThatThrownBy(() -> EveryConnection.check(dataSource(), 2, connection -> {
            checked.add(connection);
            throw new SQLException("check failed");
        })).hasMessage("check failed");
        assertThat(checked).hasSize(1).noneMatch(this::isOpen);
    }

    private boolean isOpen(Connection connection) {
        try {
            return !connection.isClosed();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
