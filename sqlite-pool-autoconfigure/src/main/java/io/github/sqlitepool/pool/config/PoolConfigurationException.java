package io.github.sqlitepool.pool.config;

/**
 * A pool setting has a value the pool cannot use. The message names the setting by its
 * {@code sqlite.pool.*} property name and quotes the rejected value.
 */
public class PoolConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final transient Object value;

    private final String problem;

    public PoolConfigurationException(String property, Object value, String problem) {
        super(property + " " + problem + ", was " + quote(value));
        this.property = property;
        this.value = value;
        this.problem = problem;
    }

    /**
     * The same problem reported against {@code otherProperty}: for a value the user set under
     * another name (the URL from {@code spring.datasource.url}, say).
     */
    public PoolConfigurationException forProperty(String otherProperty) {
        PoolConfigurationException renamed = new PoolConfigurationException(otherProperty, value, problem);
        renamed.initCause(this);
        return renamed;
    }

    /** The {@code sqlite.pool.*} property whose value was rejected. */
    public String getProperty() {
        return property;
    }

    /** The rejected value, as given. */
    public Object getValue() {
        return value;
    }

    private static String quote(Object value) {
        if (value instanceof java.time.Duration duration) {
            return Durations.text(duration);
        }
        if (value instanceof CharSequence text) {
            return "'" + text.toString().replace("\n", "\\n").replace("\r", "\\r") + "'";
        }
        return String.valueOf(value);
    }
}
