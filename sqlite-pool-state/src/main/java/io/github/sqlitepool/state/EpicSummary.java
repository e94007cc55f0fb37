package io.github.sqlitepool.state;

import java.util.Map;

/**
 * How many stories of one epic are in each status.
 *
 * @param epicPath the epic
 * @param counts   stories per stored status value (unknown values included as written)
 */
public record EpicSummary(String epicPath, Map<String, Long> counts) {

    public EpicSummary {
        counts = Map.copyOf(counts);
    }

    /** Stories of the epic in {@code status}. */
    public long count(ProcessingStatus status) {
        return counts.getOrDefault(status.value(), 0L);
    }

    /** All stories of the epic. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
