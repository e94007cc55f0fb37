/**
 * Build-only: the annotation processor that writes the delegating half of the pool's JDBC
 * wrappers, and its source-retention annotation. Imports only the JDK ({@code java.compiler}).
 * Never on an application's classpath: the pool module uses it through
 * {@code annotationProcessorPaths} and a {@code provided} dependency.
 */
package io.github.sqlitepool.jdbc.generator;
