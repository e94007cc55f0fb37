package io.github.sqlitepool.state;

import java.util.Optional;

/** The status written in a story document, as people read it (e.g. {@code Ready for Review}). */
public enum DocumentStatus {

    DRAFT("Draft"),
    READY_FOR_DEVELOPMENT("Ready for Development"),
    IN_PROGRESS("In Progress"),
    READY_FOR_REVIEW("Ready for Review"),
    READY_FOR_DONE("Ready for Done"),
    DONE("Done"),
    FAILED("Failed"),
    CANCELLED("Cancelled");

    private final String label;

    DocumentStatus(String label) {
        this.label = label;
    }

    /** The text written in the document, e.g. {@code Ready for Development}. */
    public String label() {
        return label;
    }

    /** The document status labelled {@code label}, or empty when the label is unknown or null. */
    public static Optional<DocumentStatus> fromLabel(String label) {
        if (label != null) {
            for (DocumentStatus status : values()) {
                if (status.label.equals(label)) {
                    return Optional.of(status);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The processing status for this document status: Draft and Ready for Development are
     * pending, In Progress is in_progress, Ready for Review and Ready for Done are review,
     * Done is completed, Failed is failed, Cancelled is cancelled.
     */
    public ProcessingStatus toProcessingStatus() {
        return switch (this) {
            case DRAFT, READY_FOR_DEVELOPMENT -> ProcessingStatus.PENDING;
            case IN_PROGRESS -> ProcessingStatus.IN_PROGRESS;
            case READY_FOR_REVIEW, READY_FOR_DONE -> ProcessingStatus.REVIEW;
            case DONE -> ProcessingStatus.COMPLETED;
            case FAILED -> ProcessingStatus.FAILED;
            case CANCELLED -> ProcessingStatus.CANCELLED;
        };
    }
}
