/**
 * The local stack: a Temporal dev server started from the temporal CLI with a SQLite file (or, with
 * no CLI, the in-memory test server in process), and the connection to Temporal that commands and
 * workers share. Failures are {@link io.stepbox.local.LocalStackException}s whose message says what
 * to do.
 */
package io.stepbox.local;
