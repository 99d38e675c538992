package io.stepbox.store;

import java.time.Instant;

/** One stored object: key, size in bytes and when it was last written. */
public record BlobInfo(String key, long size, Instant lastModified) {}
