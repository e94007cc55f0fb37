package io.github.sqlitepool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the table an insert writes, and its kind, on a real SQLite connection. */
class InsertTableTest {

    @TempDir
    Path dir;

    @Test
    void readsTheTargetOfTheInsertForms() {
        assertThat(InsertTable.target("INSERT INTO t (a) VALUES (1)")).containsExactly(null, "t");
        assertThat(InsertTable.target("  insert or ignore into Main.Orders(a) values (?)")).containsExactly("Main", "Orders");
        assertThat(InsertTable.target("REPLACE INTO \"odd \"\"name\"\" \" VALUES (1)")).containsExactly(null, "odd \"name\" ");
        assertThat(InsertTable.target("INSERT INTO [my table] DEFAULT VALUES")).containsExactly(null, "my table");
        assertThat(InsertTable.target("INSERT INTO `x`.`y` SELECT 1")).containsExactly("x", "y");
        assertThat(InsertTable.target("INSERT OR REPLACE INTO t VALUES (1)")).containsExactly(null, "t");
    }

    @Test
    void leavesWhatItDoesNotReadUnknown() {
        assertThat(InsertTable.target("WITH c AS (SELECT 1) INSERT INTO t SELECT * FROM c")).isNull();
        assertThat(InsertTable.target("/* note */ INSERT INTO t VALUES (1)")).isNull();
        assertThat(InsertTable.target("INSERT INTO \"unclosed VALUES (1)")).isNull();
        assertThat(InsertTable.target("UPDATE t SET a = 1")).isNull();
        assertThat(InsertTable.target("INSERT t VALUES (1)")).isNull();
        assertThat(InsertTable.target("INSERT INTO main/* c */.t VALUES (1)")).as("not main").isNull();
        assertThat(InsertTable.target("INSERT INTO main -- c\n.t VALUES (1)")).isNull();
    }

    @Test
    void readsNamesAsSqliteDoes() {
        assertThat(InsertTable.target("INSERT INTO \u2003t VALUES (1)")).as("not a space to SQLite")
                .containsExactly(null, "\u2003t");
        assertThat(InsertTable.target("INSERT INTO t/* c */(a) VALUES (1)")).as("a comment after the name: not read")
                .isNull();
    }

    @Test
    void tellsATableWithoutRowIdsFromOneWithThem() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kinds.db"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT)");
            statement.execute("CREATE TABLE keyed (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID");
            statement.execute("CREATE TEMP TABLE shadow (k TEXT PRIMARY KEY) WITHOUT ROWID");
            statement.execute("CREATE TABLE shadow (id INTEGER PRIMARY KEY)");

            assertThat(InsertTable.kindOf(connection, "INSERT INTO plain (v) VALUES ('a')")).isEqualTo(InsertTable.Kind.ROWID);
            assertThat(InsertTable.kindOf(connection, "insert into KEYED values ('a', 'b')"))
                    .isEqualTo(InsertTable.Kind.WITHOUT_ROWID);
            assertThat(InsertTable.kindOf(connection, "INSERT INTO shadow VALUES ('a')")).as("the temporary one first")
                    .isEqualTo(InsertTable.Kind.WITHOUT_ROWID);
            assertThat(InsertTable.kindOf(connection, "INSERT INTO main.shadow VALUES (1)")).isEqualTo(InsertTable.Kind.ROWID);
            assertThat(InsertTable.kindOf(connection, "INSERT INTO missing VALUES (1)")).isEqualTo(InsertTable.Kind.UNKNOWN);
            assertThat(InsertTable.kindOf(connection, "WITH c AS (SELECT 1) INSERT INTO plain SELECT 1, 'x' FROM c"))
                    .isEqualTo(InsertTable.Kind.UNKNOWN);

            statement.execute("CREATE TEMP VIEW keyed AS SELECT 'k' AS k, 'v' AS v");
            assertThat(InsertTable.kindOf(connection, "INSERT INTO keyed VALUES ('a', 'b')"))
                    .as("a temporary view hides the table: what the insert wrote is not a table")
                    .isEqualTo(InsertTable.Kind.UNKNOWN);

            statement.execute("ATTACH '" + dir.resolve("first.db") + "' AS first");
            statement.execute("ATTACH '" + dir.resolve("second.db") + "' AS second");
            statement.execute("CREATE TABLE second.both (id INTEGER PRIMARY KEY)");
            statement.execute("CREATE TABLE first.both (k TEXT PRIMARY KEY) WITHOUT ROWID");
            assertThat(InsertTable.kindOf(connection, "INSERT INTO both VALUES ('a')"))
                    .as("the database attached first").isEqualTo(InsertTable.Kind.WITHOUT_ROWID);
            assertThat(InsertTable.kindOf(connection, "INSERT INTO second.both VALUES (1)")).isEqualTo(InsertTable.Kind.ROWID);
        }
    }
}
