package io.github.sqlitepool.sample;

/**
 * The body of {@code PUT /api/stories/status}. A field this record does not have is refused
 * (400, {@code spring.jackson.deserialization.fail-on-unknown-properties} in application.yml), so a misspelled {@code "expected_version"} cannot silently turn a conditional update
 * into an unconditional one.
 *
 * @param epicPath        the epic the story belongs to, required
 * @param status          the new processing status, e.g. {@code in_progress}, required
 * @param expectedVersion the version the caller last read; when it differs from the stored one
 *                        nothing changes and the answer is 409. Null for an unconditional update
 * @param phase           the phase to record, or null to keep the stored one
 * @param note            a note for the audit trail, or null
 */
public record StatusChangeRequest(String epicPath, String status, Long expectedVersion, String phase, String note) {
}
