package io.stepbox.workflows.session;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-exec settings; every field optional.
 *
 * @param timeoutMillis wall-clock time the command may run; null means the session's limit
 * @param env variables added to (and overriding) the session's env for this exec
 * @param workdir working directory; null means the session's
 */
public record ExecOptions(Long timeoutMillis, Map<String, String> env, String workdir) {

  /** No overrides. */
  public static final ExecOptions NONE = new ExecOptions(null, Map.of(), null);

  /** An empty env instead of null. */
  public ExecOptions {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
  }
}
