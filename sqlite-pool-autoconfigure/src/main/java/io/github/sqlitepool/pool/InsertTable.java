package io.github.sqlitepool.pool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Whether the table an {@code INSERT} or {@code REPLACE} writes has row ids. Asked only for a grouped
 * insert whose generated key equals the group connection's last row id before it
 * ({@link GroupedResults#ranOn}): an insert into a {@code WITHOUT ROWID} table, which leaves the
 * last row id alone, or an ordinary insert whose new row id happens to equal the last one in another
 * table. After the write only the table's kind tells the two apart.
 */
final class InsertTable {

    /** What the target table is. */
    enum Kind {
        /** A table with row ids: the insert set the connection's last row id. */
        ROWID,
        /** A {@code WITHOUT ROWID} table: the insert left the connection's last row id as it was. */
        WITHOUT_ROWID,
        /** Not told: the SQL text is not one this reads, or SQLite could not say ({@code PRAGMA table_list} needs 3.37). */
        UNKNOWN
    }

    /**
     * What the name means in SQLite's order for an unqualified name (the temporary schema, then the
     * main one, then attached ones in the order they were attached): a view or a virtual table that
     * hides a table of that name is what the insert wrote, and is not told.
     */
    private static final String KIND_QUERY = "SELECT t.type, t.wr FROM pragma_table_list t"
            + " WHERE t.name = ? COLLATE NOCASE AND (? IS NULL OR t.schema = ? COLLATE NOCASE)"
            + " ORDER BY CASE t.schema WHEN 'temp' THEN -1"
            + " ELSE (SELECT d.seq FROM pragma_database_list d WHERE d.name = t.schema) END LIMIT 1";

    private InsertTable() {
    }

    /** The kind of the table {@code sql} inserts into, read on {@code raw}, the connection it ran on. */
    static Kind kindOf(Connection raw, String sql) {
        String[] target = target(sql);
        if (target == null) {
            return Kind.UNKNOWN;
        }
        try (PreparedStatement query = raw.prepareStatement(KIND_QUERY)) {
            query.setString(1, target[1]);
            query.setString(2, target[0]);
            query.setString(3, target[0]);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next() || !"table".equals(row.getString(1))) {
                    return Kind.UNKNOWN;
                }
                return row.getInt(2) != 0 ? Kind.WITHOUT_ROWID : Kind.ROWID;
            }
        } catch (SQLException | RuntimeException e) {
            return Kind.UNKNOWN; // the key is then the group connection's, and the last row id not known
        }
    }

    /**
     * The schema (null when not named) and the table of {@code INSERT [OR ...] INTO [schema.]table}
     * or {@code REPLACE INTO [schema.]table}; null for any other text (a {@code WITH} clause or a
     * comment first, for one): the caller then treats the kind as not known.
     */
    static String[] target(String sql) {
        SqlWords words = new SqlWords(sql);
        String verb = words.keyword();
        if ("insert".equals(verb)) {
            String next = words.keyword();
            if ("or".equals(next)) {
                if (words.keyword() == null) {
                    return null;
                }
                next = words.keyword();
            }
            if (!"into".equals(next)) {
                return null;
            }
        } else if (!"replace".equals(verb) || !"into".equals(words.keyword())) {
            return null;
        }
        String first = words.identifier();
        if (first == null || words.commentNext()) {
            return null; // a comment before a dot would hide a schema-qualified name
        }
        if (!words.dot()) {
            return new String[] {null, first};
        }
        String table = words.identifier();
        return table == null ? null : new String[] {first, table};
    }

    /** Reads an SQL text word by word from its start, as far as {@link #target} needs. */
    private static final class SqlWords {

        private final String sql;

        private int at;

        SqlWords(String sql) {
            this.sql = sql;
        }

        /** SQLite's white space only: another space character is part of a bare name to it. */
        private void skipSpace() {
            while (at < sql.length() && " \t\n\f\r".indexOf(sql.charAt(at)) >= 0) {
                at++;
            }
        }

        /** Whether a comment starts next. */
        boolean commentNext() {
            skipSpace();
            return sql.startsWith("/*", at) || sql.startsWith("--", at);
        }

        /** The next bare word, lower-cased; null when the next thing is not one. */
        String keyword() {
            skipSpace();
            int start = at;
            while (at < sql.length() && isWordChar(sql.charAt(at))) {
                at++;
            }
            return at == start ? null : sql.substring(start, at).toLowerCase(Locale.ROOT);
        }

        /** The next identifier, bare or quoted ({@code "..."}, {@code [...]}, {@code `...`}); null when none. */
        String identifier() {
            skipSpace();
            if (at >= sql.length()) {
                return null;
            }
            char open = sql.charAt(at);
            char close = open == '"' ? '"' : open == '`' ? '`' : open == '[' ? ']' : 0;
            if (close == 0) {
                int start = at;
                while (at < sql.length() && isWordChar(sql.charAt(at))) {
                    at++;
                }
                return at == start ? null : sql.substring(start, at);
            }
            StringBuilder name = new StringBuilder();
            for (at++; at < sql.length(); at++) {
                char c = sql.charAt(at);
                if (c == close) {
                    if (close != ']' && at + 1 < sql.length() && sql.charAt(at + 1) == close) {
                        name.append(c); // a doubled quote stands for itself
                        at++;
                        continue;
                    }
                    at++;
                    return name.toString();
                }
                name.append(c);
            }
            return null; // not closed
        }

        /** Whether a {@code .} comes next (and is read). */
        boolean dot() {
            skipSpace();
            if (at < sql.length() && sql.charAt(at) == '.') {
                at++;
                return true;
            }
            return false;
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
        }
    }
}
