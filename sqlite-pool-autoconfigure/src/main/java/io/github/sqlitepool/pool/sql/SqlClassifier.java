package io.github.sqlitepool.pool.sql;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides from its text what a SQL statement does to the database, whichever JDBC method
 * runs it: {@code INSERT ... RETURNING} through {@code executeQuery} writes, a {@code SELECT}
 * through {@code execute} reads. When in doubt the answer is {@link SqlKind#WRITE}: a read
 * taken for a write only waits its turn, a write taken for a read could meet another writer.
 *
 * <p>Only the statement's leading keywords are read, after whitespace and comments. Text
 * with more than one statement is a write unless every statement in it reads.
 * Results are cached (bounded): applications run the same few statement texts again and again.
 */
public final class SqlClassifier {

    /** What a statement does, as far as the write lane is concerned. */
    public enum SqlKind {
        /** Reads only: runs beside the writer. */
        READ,
        /** May write: holds the lane while it runs. */
        WRITE,
        /** {@code BEGIN} or {@code BEGIN DEFERRED}: opens a transaction in SQL. */
        BEGIN,
        /** {@code BEGIN IMMEDIATE} or {@code BEGIN EXCLUSIVE}: opens one and takes SQLite's write lock at once. */
        BEGIN_WRITE,
        /** {@code SAVEPOINT}: opens a transaction in SQL when none is open, else nests. */
        SAVEPOINT,
        /** {@code COMMIT}, {@code END} or {@code ROLLBACK} (not {@code ROLLBACK TO}): ends it. */
        END,
        /** {@code RELEASE}: ends the transaction when it releases the outermost savepoint. */
        RELEASE
    }

    static final int CACHE_LIMIT = 2048;

    private static final ConcurrentHashMap<String, SqlKind> CACHE = new ConcurrentHashMap<>();

    /** PRAGMAs that take an argument in parentheses and only read. */
    private static final Set<String> READING_PRAGMAS_WITH_ARGUMENT = Set.of("table_info", "table_xinfo",
            "table_list", "index_info", "index_xinfo", "index_list", "foreign_key_list", "foreign_key_check",
            "integrity_check", "quick_check");

    /** PRAGMAs that write (or may) even without a value. */
    private static final Set<String> WRITING_PRAGMAS = Set.of("wal_checkpoint", "optimize", "incremental_vacuum");

    private SqlClassifier() {
    }

    /** The kind of {@code sql}; null (text not known, for example a batch) is a write. */
    public static SqlKind classify(String sql) {
        if (sql == null) {
            return SqlKind.WRITE;
        }
        SqlKind kind = CACHE.get(sql);
        if (kind == null) {
            kind = classifyText(sql);
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear(); // crude but bounded: a working set this large is unusual
            }
            CACHE.put(sql, kind);
        }
        return kind;
    }

    /** Whether {@code sql} is anything but a plain read. */
    public static boolean canWrite(String sql) {
        return classify(sql) != SqlKind.READ;
    }

    /**
     * Whether {@code sql} may change a connection setting the pool configured: any text that
     * mentions a PRAGMA, and sqlite-jdbc's {@code backup}/{@code restore} commands. Conservative
     * and cheap (no parsing), since it runs on every execution.
     */
    public static boolean mayChangeConnectionSettings(String sql) {
        return mentions(sql, "pragma") || startsWith(sql, "restore ") || startsWith(sql, "backup ");
    }

    /**
     * Whether {@code sql} (not a plain read) may leave state on its connection that another
     * connection would not see: any text that mentions {@code temp} (a temporary table, view or
     * trigger), and {@code ATTACH}/{@code DETACH}. Conservative and cheap, as
     * {@link #mayChangeConnectionSettings}.
     */
    public static boolean mayCreateSessionState(String sql) {
        return mentions(sql, "temp") || (mentions(sql, "tach") && attachesOrDetaches(sql));
    }

    /** Whether a statement of {@code sql}, comments skipped, is an {@code ATTACH} or a {@code DETACH}. */
    private static boolean attachesOrDetaches(String sql) {
        Tokens tokens = new Tokens(sql);
        do {
            String keyword = tokens.nextWord();
            if ("ATTACH".equals(keyword) || "DETACH".equals(keyword)) {
                return true;
            }
        } while (tokens.skipToNextStatement());
        return false;
    }

    /** Whether {@code sql} contains {@code word} (lower case), in any case. */
    static boolean mentions(String sql, String word) {
        char first = word.charAt(0);
        char firstUpper = Character.toUpperCase(first);
        int length = word.length();
        for (int i = 0; i + length <= sql.length(); i++) {
            char c = sql.charAt(i);
            if ((c == first || c == firstUpper) && sql.regionMatches(true, i, word, 0, length)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code sql}, leading white space skipped, begins with {@code prefix}, in any case. */
    private static boolean startsWith(String sql, String prefix) {
        return sql.stripLeading().regionMatches(true, 0, prefix, 0, prefix.length());
    }

    static SqlKind classifyText(String sql) {
        Tokens tokens = new Tokens(sql);
        SqlKind first = classifyStatement(tokens);
        // more statements after a ';'? then the text reads only if each of them reads
        while (tokens.skipToNextStatement()) {
            if (classifyStatement(tokens) != SqlKind.READ || first != SqlKind.READ) {
                return SqlKind.WRITE;
            }
        }
        return first;
    }

    static SqlKind classifyStatement(Tokens tokens) {
        String keyword = tokens.nextWord();
        if (keyword == null) {
            // empty text or only comments: nothing runs; anything else is not understood
            return tokens.peekSymbol() == 0 ? SqlKind.READ : SqlKind.WRITE;
        }
        switch (keyword) {
            case "SELECT":
            case "VALUES":
            case "EXPLAIN": // shows the plan or the program; does not run the statement
                return SqlKind.READ;
            case "WITH":
                return mainStatementAfterWith(tokens);
            case "PRAGMA":
                return pragma(tokens);
            case "BEGIN":
                String mode = tokens.nextWord();
                return "IMMEDIATE".equals(mode) || "EXCLUSIVE".equals(mode) ? SqlKind.BEGIN_WRITE : SqlKind.BEGIN;
            case "SAVEPOINT":
                return SqlKind.SAVEPOINT;
            case "COMMIT":
            case "END":
                return SqlKind.END;
            case "ROLLBACK":
                return rollback(tokens);
            case "RELEASE":
                return SqlKind.RELEASE;
            case "VACUUM":
                return vacuum(tokens);
            default:
                return SqlKind.WRITE; // INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP, ALTER, ... and unknown
        }
    }

    /**
     * {@code VACUUM [schema] INTO file} reads its database in one snapshot and writes another file,
     * so it needs no writer (a backup then runs beside the writes); any other {@code VACUUM}
     * rewrites the database.
     */
    private static SqlKind vacuum(Tokens tokens) {
        String word = tokens.nextWord();
        if (word != null && !"INTO".equals(word)) {
            word = tokens.nextWord(); // past the schema's name
        }
        return "INTO".equals(word) ? SqlKind.READ : SqlKind.WRITE;
    }

    /** A CTE body is always a SELECT in SQLite; the statement after the CTEs decides. */
    private static SqlKind mainStatementAfterWith(Tokens tokens) {
        String word;
        while ((word = tokens.nextTopLevelWord()) != null) {
            switch (word) {
                case "SELECT":
                case "VALUES":
                    return SqlKind.READ;
                case "INSERT":
                case "UPDATE":
                case "DELETE":
                case "REPLACE":
                    return SqlKind.WRITE;
                default:
                    break;
            }
        }
        return SqlKind.WRITE;
    }

    private static SqlKind pragma(Tokens tokens) {
        String name = tokens.nextWord();
        if (name == null) {
            return SqlKind.WRITE;
        }
        if (tokens.peekSymbol() == '.') { // schema-qualified: PRAGMA main.user_version
            tokens.skipSymbol();
            name = tokens.nextWord();
            if (name == null) {
                return SqlKind.WRITE;
            }
        }
        String pragma = name.toLowerCase(Locale.ROOT);
        if (WRITING_PRAGMAS.contains(pragma)) {
            return SqlKind.WRITE;
        }
        char next = tokens.peekSymbol();
        if (next == '=') {
            return SqlKind.WRITE;
        }
        if (next == '(') {
            return READING_PRAGMAS_WITH_ARGUMENT.contains(pragma) ? SqlKind.READ : SqlKind.WRITE;
        }
        return SqlKind.READ;
    }

    private static SqlKind rollback(Tokens tokens) {
        String word = tokens.nextWord();
        if ("TRANSACTION".equals(word)) {
            word = tokens.nextWord();
        }
        // ROLLBACK TO stays inside the transaction; it neither opens nor closes one
        return "TO".equals(word) ? SqlKind.READ : SqlKind.END;
    }

    /** Reads SQL text word by word, skipping whitespace, comments, literals and quoted names. */
    static final class Tokens {

        private final String sql;

        private int pos;

        /** Where the next token is read from. */
        int position() {
            return pos;
        }

        private int depth;

        Tokens(String sql) {
            this.sql = sql;
        }

        /** The next token if it is a bare word (upper-cased), else null without consuming it. */
        String nextWord() {
            skipSpace();
            if (pos >= sql.length() || !isWordStart(sql.charAt(pos))) {
                return null;
            }
            int start = pos;
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            return sql.substring(start, pos).toUpperCase(Locale.ROOT);
        }

        /** The next bare word outside parentheses, skipping everything else; null at the end of the statement. */
        String nextTopLevelWord() {
            while (true) {
                skipSpace();
                if (pos >= sql.length()) {
                    return null;
                }
                char c = sql.charAt(pos);
                if (c == ';' && depth == 0) {
                    return null;
                }
                if (isWordStart(c)) {
                    String word = nextWord();
                    if (depth == 0) {
                        return word;
                    }
                    continue;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth = Math.max(0, depth - 1);
                } else if (c == '\'' || c == '"' || c == '`') {
                    skipQuoted(c);
                    continue;
                } else if (c == '[') {
                    skipQuoted(']');
                    continue;
                }
                pos++;
            }
        }

        /** The next non-space character, not consumed; 0 at the end. */
        char peekSymbol() {
            skipSpace();
            return pos < sql.length() ? sql.charAt(pos) : 0;
        }

        void skipSymbol() {
            pos++;
        }

        /** Moves past the current statement's ';'; true when another statement follows. */
        boolean skipToNextStatement() {
            depth = 0;
            while (true) {
                skipSpace();
                if (pos >= sql.length()) {
                    return false;
                }
                char c = sql.charAt(pos);
                if (c == '\'' || c == '"' || c == '`') {
                    skipQuoted(c);
                } else if (c == '[') {
                    skipQuoted(']');
                } else if (c == ';') {
                    pos++;
                    skipSpaceAndSemicolons();
                    return pos < sql.length();
                } else {
                    pos++;
                }
            }
        }

        private void skipSpaceAndSemicolons() {
            while (true) {
                skipSpace();
                if (pos < sql.length() && sql.charAt(pos) == ';') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        private void skipQuoted(char close) {
            pos++;
            while (pos < sql.length()) {
                char c = sql.charAt(pos++);
                if (c == close) {
                    if (close != ']' && pos < sql.length() && sql.charAt(pos) == close) {
                        pos++; // doubled quote inside the literal
                        continue;
                    }
                    return;
                }
            }
        }

        private void skipSpace() {
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '-' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '-') {
                    int end = sql.indexOf('\n', pos);
                    pos = end < 0 ? sql.length() : end + 1;
                } else if (c == '/' && pos + 1 < sql.length() && sql.charAt(pos + 1) == '*') {
                    int end = sql.indexOf("*/", pos + 2);
                    pos = end < 0 ? sql.length() : end + 2;
                } else {
                    return;
                }
            }
        }

        private static boolean isWordStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }
}
