package io.github.sqlitepool.sample;

import java.sql.SQLTransientConnectionException;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of the API into an RFC 9457 problem detail ({@code application/problem+json}):
 * 400 for bad input (including Spring MVC's own, such as a missing parameter, through the base
 * class; an unknown JSON field names the field and the known ones), 404 for an unknown story, 409
 * for a stale expected version, 413 for a body over {@code sample.max-request-body}, 503 when the
 * pool has no connection to give within {@code sqlite.pool.acquire-timeout} or another process
 * holds the database's write lock, and 500 for everything else, with the database's own reason
 * (a full disk, say) in {@code detail}.
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
     * {@code JdbcTemplate}, {@code CannotCreateTransactionException} when a transaction begins);
     * 503 too when another process held the write lock past the busy timeout
     * ({@link CannotAcquireLockException}). Any other data access failure is a 500 whose detail is
     * the database's reason, such as SQLite's "database or disk is full".
     */
    @ExceptionHandler({ DataAccessException.class, TransactionException.class })
    ResponseEntity<ProblemDetail> dataAccessFailure(RuntimeException ex) {
        SQLTransientConnectionException exhausted = transientConnectionFailure(ex);
        if (exhausted != null || ex instanceof CannotGetJdbcConnectionException || ex instanceof CannotAcquireLockException) {
            String detail = exhausted != null ? exhausted.getMessage() : ex.getMessage();
            log.warn("Answering 503: {}", detail);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database busy", detail));
        }
        log.error("Answering 500 for a database failure", ex);
        String title = ex instanceof DataAccessResourceFailureException ? "Database unavailable" : "Database error";
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem(HttpStatus.INTERNAL_SERVER_ERROR,
                title, "The database refused the operation: " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage()));
    }

    /**
     * Tomcat could not decode a query parameter: its percent-escapes are not UTF-8 (a lone
     * surrogate, say). Decoding it anyway would store a story under a path the client never sent.
     */
    @ExceptionHandler
    ProblemDetail undecodableParameter(InvalidParameterException ex) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", "A query parameter is not valid UTF-8 once"
                + " percent-decoded; send the UTF-8 bytes of well-formed text");
    }

    /** Anything else: 500, still a problem detail, with the cause logged. */
    @ExceptionHandler
    ProblemDetail unexpected(Exception ex) {
        log.error("Answering 500 for an unexpected failure", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "The server failed unexpectedly ("
                + ex.getClass().getSimpleName() + "); the details are in its log");
    }

    /**
     * 400 naming an unknown JSON field and the known ones, 413 for a body over the size limit,
     * else Spring's 400 with the parser's reason.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof UnrecognizedPropertyException unknown) {
                String known = unknown.getKnownPropertyIds() == null ? ""
                        : "; known fields: " + unknown.getKnownPropertyIds().stream().map(String::valueOf)
                                .sorted().collect(Collectors.joining(", "));
                return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid request",
                        "Unknown field '" + unknown.getPropertyName() + "'" + known));
            }
            if (t instanceof RequestSizeLimitFilter.BodyTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                        .body(problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", tooLarge.getMessage()));
            }
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "The request body is not valid JSON for this call: " + NestedExceptionUtils.getMostSpecificCause(ex)
                        .getMessage()));
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
