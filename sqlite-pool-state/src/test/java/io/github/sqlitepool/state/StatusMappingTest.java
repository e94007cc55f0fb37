package io.github.sqlitepool.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusMappingTest {

    @Test
    void documentStatusesMapToProcessingStatuses() {
        assertThat(DocumentStatus.fromLabel("Draft").orElseThrow().toProcessingStatus()).isEqualTo(ProcessingStatus.PENDING);
        assertThat(DocumentStatus.fromLabel("Ready for Development").orElseThrow().toProcessingStatus())
                .isEqualTo(ProcessingStatus.PENDING);
        assertThat(DocumentStatus.IN_PROGRESS.toProcessingStatus()).isEqualTo(ProcessingStatus.IN_PROGRESS);
        assertThat(DocumentStatus.READY_FOR_REVIEW.toProcessingStatus()).isEqualTo(ProcessingStatus.REVIEW);
        assertThat(DocumentStatus.READY_FOR_DONE.toProcessingStatus()).isEqualTo(ProcessingStatus.REVIEW);
        assertThat(DocumentStatus.DONE.toProcessingStatus()).isEqualTo(ProcessingStatus.COMPLETED);
        assertThat(DocumentStatus.FAILED.toProcessingStatus()).isEqualTo(ProcessingStatus.FAILED);
        assertThat(DocumentStatus.CANCELLED.toProcessingStatus()).isEqualTo(ProcessingStatus.CANCELLED);
    }

    @Test
    void processingStatusesMapBackForDisplay() {
        assertThat(ProcessingStatus.PENDING.toDocumentStatus().label()).isEqualTo("Draft");
        assertThat(ProcessingStatus.IN_PROGRESS.toDocumentStatus().label()).isEqualTo("In Progress");
        assertThat(ProcessingStatus.REVIEW.toDocumentStatus().label()).isEqualTo("Ready for Review");
        assertThat(ProcessingStatus.COMPLETED.toDocumentStatus().label()).isEqualTo("Done");
        assertThat(ProcessingStatus.FAILED.toDocumentStatus().label()).isEqualTo("Failed");
        assertThat(ProcessingStatus.ERROR.toDocumentStatus().label()).isEqualTo("Failed");
        assertThat(ProcessingStatus.CANCELLED.toDocumentStatus().label()).isEqualTo("Draft");
    }

    @Test
    void unknownValuesAreEmptyNotErrors() {
        assertThat(ProcessingStatus.fromValue("waiting_for_human")).isEmpty();
        assertThat(ProcessingStatus.fromValue(null)).isEmpty();
        assertThat(DocumentStatus.fromLabel("Blocked")).isEmpty();
        assertThat(ProcessingStatus.fromValue("in_progress")).contains(ProcessingStatus.IN_PROGRESS);
    }
}
