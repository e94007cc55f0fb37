package io.github.sqlitepool.state;

import java.util.Optional;

/**
 * Where a story is in its processing, as stored in the {@code stories.status} column.
 *
 * <p>Reads never fail on a value this enum does not know (a newer tool may have written it):
 * {@link Story#status()} keeps the raw string and {@link #fromValue(String)} returns an empty
 * {@code Optional} for it.
 */
public enum ProcessingStatus {

    PENDING("pending"),
    IN_PROGRESS("in_progress"),
    REVIEW("review"),
    COMPLETED("completed"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    ERROR("error");

    private final String value;

    ProcessingStatus(String value) {
        this.value = value;
    }

    /** The value stored in the database, e.g. {@code in_progress}. */
    public String value() {
        return value;
    }

    /** The status stored as {@code value}, or empty when the value is unknown or null. */
    public static Optional<ProcessingStatus> fromValue(String value) {
        if (value != null) {
            for (ProcessingStatus status : values()) {
                if (status.value.equals(value)) {
                    return Optional.of(status);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The document status shown for this processing status: pending as Draft, in_progress as
     * In Progress, review as Ready for Review, completed as Done, failed and error as Failed,
     * cancelled as Draft (a cancelled story goes back to the drafts).
     */
    public DocumentStatus toDocumentStatus() {
        return switch (this) {
            case PENDING, CANCELLED -> DocumentStatus.DRAFT;
            case IN_PROGRESS -> DocumentStatus.IN_PROGRESS;
            case REVIEW -> DocumentStatus.READY_FOR_REVIEW;
            case COMPLETED -> DocumentStatus.DONE;
            case FAILED, ERROR -> DocumentStatus.FAILED;
        };
    }
}
