package io.github.sqlitepool.it.batch;

/** A row of the jobs' source and target tables. */
public record Person(long id, String name) {
}
