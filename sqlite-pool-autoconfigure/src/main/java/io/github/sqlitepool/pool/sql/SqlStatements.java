package io.github.sqlitepool.pool.sql;

import io.github.sqlitepool.pool.sql.SqlClassifier.SqlKind;

/**
 * What the statements of a text do that {@link SqlClassifier#classify} does not say: it gives a
 * text of several statements one kind (a write unless all read), and one kind for
 * {@code COMMIT} and {@code ROLLBACK} alike. These look at each statement.
 */
public final class SqlStatements {

    private SqlStatements() {
    }

    /**
     * Whether any statement of {@code sql} begins or ends a transaction ({@code BEGIN},
     * {@code COMMIT}, {@code END}, {@code ROLLBACK} without {@code TO}); null (a text not known) is
     * false.
     */
    public static boolean beginsOrEndsTransaction(String sql) {
        if (sql == null) {
            return false;
        }
        SqlClassifier.Tokens tokens = new SqlClassifier.Tokens(sql);
        do {
            SqlKind kind = SqlClassifier.classifyStatement(tokens);
            if (kind == SqlKind.BEGIN || kind == SqlKind.BEGIN_WRITE || kind == SqlKind.END) {
                return true;
            }
        } while (tokens.skipToNextStatement());
        return false;
    }

    /**
     * Whether a statement of {@code sql} is a {@code VACUUM ... INTO}: a read for the write lane
     * ({@link SqlClassifier#classify}), which SQLite still refuses under {@code PRAGMA query_only}
     * and inside a transaction.
     */
    public static boolean copiesDatabase(String sql) {
        if (sql == null) {
            return false;
        }
        if (sql.indexOf(';') < 0) { // one statement, as nearly always: its first word tells, without a scan
            return "VACUUM".equals(new SqlClassifier.Tokens(sql).nextWord()) && SqlClassifier.classify(sql) == SqlKind.READ;
        }
        if (!SqlClassifier.mentions(sql, "vacuum")) {
            return false;
        }
        SqlClassifier.Tokens tokens = new SqlClassifier.Tokens(sql);
        do {
            int at = tokens.position();
            if (SqlClassifier.classifyStatement(tokens) == SqlKind.READ
                    && "VACUUM".equals(new SqlClassifier.Tokens(sql.substring(at)).nextWord())) {
                return true;
            }
        } while (tokens.skipToNextStatement());
        return false;
    }

    /** Whether {@code sql} is a {@code ROLLBACK} of the whole transaction (not {@code ROLLBACK TO}). */
    public static boolean rollsBack(String sql) {
        return sql != null && SqlClassifier.classify(sql) == SqlKind.END
                && "ROLLBACK".equals(new SqlClassifier.Tokens(sql).nextWord());
    }
}
