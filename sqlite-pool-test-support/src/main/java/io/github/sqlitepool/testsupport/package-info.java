/**
 * Test helpers shared by the tests of several modules: a child JVM that is killed in the middle of
 * its work ({@link io.github.sqlitepool.testsupport.ChildJvm}), a check run on every connection of
 * a pool at once ({@link io.github.sqlitepool.testsupport.EveryConnection}) and one-value queries
 * ({@link io.github.sqlitepool.testsupport.Queries}). Imports only the JDK and AssertJ, never the
 * pool: the pool's own tests depend on this package.
 */
package io.github.sqlitepool.testsupport;
