package io.github.sqlitepool.pool.config;

import java.util.regex.Pattern;

/**
 * One {@code PRAGMA name = value} statement, built only from a checked name and a checked
 * value, so configuration never reaches SQL as free text.
 *
 * @param name  the pragma's name: lower-case letters and underscores
 * @param value the value: a plain integer, a boolean word, or a single identifier
 */
public record Pragma(String name, String value) {

    private static final Pattern NAME = Pattern.compile("[a-z_]+");

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public Pragma {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a pragma name: " + name);
        }
        if (value == null || !isPlainValue(value)) {
            throw new IllegalArgumentException("not a plain pragma value: " + value);
        }
    }

    /**
     * Whether the text is a value that can stand in a PRAGMA statement as it is: a plain
     * integer, or a single identifier (which covers {@code ON}, {@code true}, {@code WAL} ...).
     */
    public static boolean isPlainValue(String value) {
        return INTEGER.matcher(value).matches() || IDENTIFIER.matcher(value).matches();
    }

    /** The statement that sets this pragma. */
    public String sql() {
        return "PRAGMA " + name + " = " + value;
    }

    /** The statement that reads this pragma back. */
    public String querySql() {
        return "PRAGMA " + name;
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
