package io.github.sqlitepool.sample;

import java.sql.SQLTransientConnectionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the API's failures into RFC 9457 problem details: 400 for bad input (including Spring
 * MVC's own, such as a missing parameter or an unreadable body, through the base class), 404 for
 * an unknown story, 409 for a stale expected version, and 503 when the pool has no connection to
 * give within {@code sqlite.pool.acquire-timeout}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** Seconds a client should wait before retrying after a 503. */
    private static final String RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler
    ProblemDetail invalidRequest(InvalidRequestException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail storyNotFound(StoryNotFoundException ex) {
        return problem(HttpStatus.NOT_FOUND, "Story not found", ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail versionConflict(VersionConflictException ex) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Version conflict", ex.getMessage());
        problem.setProperty("expectedVersion", ex.expectedVersion());
        problem.setProperty("currentVersion", ex.currentVersion());
        return problem;
    }

    /**
     * 503 when no connection could be had: the pool's {@link SQLTransientConnectionException}
     * reaches us wrapped by Spring ({@link CannotGetJdbcConnectionException} from
     * {@code JdbcTemplate}, {@code CannotCreateTransactionException} when a transaction begins).
     * Any other data access failure is rethrown to Spring Boot's error handling (logged, 500).
     */
    @ExceptionHandler({ DataAccessException.class, TransactionException.class })
    ResponseEntity<ProblemDetail> dataAccessFailure(RuntimeException ex) {
        SQLTransientConnectionException exhausted = transientConnectionFailure(ex);
        if (exhausted == null && !(ex instanceof CannotGetJdbcConnectionException)) {
            throw ex;
        }
        String detail = exhausted != null ? exhausted.getMessage() : ex.getMessage();
        log.warn("Answering 503: {}", detail);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database busy", detail));
    }

    private static SQLTransientConnectionException transientConnectionFailure(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException transientFailure) {
                return transientFailure;
            }
        }
        return null;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
