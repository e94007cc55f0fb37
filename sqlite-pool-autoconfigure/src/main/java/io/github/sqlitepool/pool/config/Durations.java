package io.github.sqlitepool.pool.config;

import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * The checks the pool's duration settings share, and durations written as a user writes them in
 * {@code application.yml} ({@code 24h}, {@code 500ms}), so that a message about a setting quotes
 * it in the user's own terms rather than as {@code PT24H}.
 */
public final class Durations {

    /** The units of Spring Boot's simple duration format, largest first. */
    private static final ChronoUnit[] UNITS = {ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
        ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS};

    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private static final String[] SUFFIXES = {"d", "h", "m", "s", "ms", "us", "ns"};

    private Durations() {
    }

    /**
     * {@code value} in the largest unit of Spring Boot's simple format that holds it exactly:
     * {@code 24h}, {@code 1500ms}, {@code -1s}; {@code "null"} for null.
     */
    public static String text(Duration value) {
        if (value == null) {
            return "null";
        }
        if (value.isZero()) {
            return "0s";
        }
        BigInteger nanos = BigInteger.valueOf(value.getSeconds()).multiply(NANOS_PER_SECOND)
                .add(BigInteger.valueOf(value.getNano()));
        for (int i = 0; i < UNITS.length - 1; i++) {
            BigInteger[] quotient = nanos.divideAndRemainder(BigInteger.valueOf(UNITS[i].getDuration().toNanos()));
            if (quotient[1].signum() == 0) {
                return quotient[0] + SUFFIXES[i];
            }
        }
        return nanos + "ns";
    }

    /**
     * Checks a timeout: greater than 0 and at most {@link SqlitePoolConfig#MAX_TIMEOUT}.
     *
     * @return {@code value}
     * @throws PoolConfigurationException naming {@code property} when it is not
     */
    public static Duration timeout(Duration value, String property) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new PoolConfigurationException(property, value, "must be greater than 0");
        }
        return atMostMaxTimeout(value, property);
    }

    /**
     * Checks a duration that is applied in whole milliseconds (an SQLite {@code busy_timeout}, a
     * scheduler's delay): 0 or at least 1 ms, and at most {@link SqlitePoolConfig#MAX_TIMEOUT}.
     * A value below 1 ms would be applied as 0, which means something else.
     *
     * @return {@code value}
     * @throws PoolConfigurationException naming {@code property} when it is not
     */
    static Duration zeroOrMillis(Duration value, String property, String zeroMeans) {
        if (value == null || value.isNegative()) {
            throw new PoolConfigurationException(property, value, "must not be negative (" + zeroMeans + ")");
        }
        if (!value.isZero() && value.toMillis() == 0) {
            throw new PoolConfigurationException(property, value,
                    "must be 0 (" + zeroMeans + ") or at least 1ms: it is applied in whole milliseconds");
        }
        return atMostMaxTimeout(value, property);
    }

    /**
     * Checks a timeout that is applied in whole milliseconds: at least 1 ms and at most
     * {@link SqlitePoolConfig#MAX_TIMEOUT}.
     *
     * @return {@code value}
     * @throws PoolConfigurationException naming {@code property} when it is not
     */
    static Duration millisTimeout(Duration value, String property) {
        timeout(value, property);
        if (value.toMillis() == 0) {
            throw new PoolConfigurationException(property, value, "must be at least 1ms: it is applied in whole milliseconds");
        }
        return value;
    }

    private static Duration atMostMaxTimeout(Duration value, String property) {
        if (value.compareTo(SqlitePoolConfig.MAX_TIMEOUT) > 0) {
            throw new PoolConfigurationException(property, value, "must be at most " + text(SqlitePoolConfig.MAX_TIMEOUT));
        }
        return value;
    }
}
