/** The sample application: a story API on the StateManager, wired only through the starter. */
package io.github.sqlitepool.sample;
