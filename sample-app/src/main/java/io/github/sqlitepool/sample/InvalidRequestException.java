package io.github.sqlitepool.sample;

/** The request is malformed: a required value is missing or a value is not allowed (HTTP 400). */
class InvalidRequestException extends RuntimeException {

    InvalidRequestException(String message) {
        super(message);
    }

    InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
