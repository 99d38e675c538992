package io.stepbox.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the Temporal Web UI is, and the link to a task's page in it. Commands print the link only
 * when a UI is known to answer, so a headless server never gets a dead link.
 */
public final class WebUi {
  /** {@code temporal server start-dev} serves its UI this far above its frontend's port. */
  static final int DEV_UI_OFFSET = 1000;

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final String base;
  private final String why;

  private WebUi(String base, String why) {
    this.base = base;
    this.why = why;
  }

  /** A UI served at {@code base} ({@code http://host:port}), as a server stepbox started says. */
  public static WebUi at(String base) {
    return new WebUi(trimSlash(base), null);
  }

  /** No UI: the in-memory server, or a headless one. */
  public static WebUi none(String why) {
    return new WebUi(null, why);
  }

  /**
   * The UI for the configured Temporal: STEPBOX_TEMPORAL_UI when set ({@code none}: no UI),
   * else where the dev server would serve it for TEMPORAL_ADDRESS (the same host, the port plus
   * {@value #DEV_UI_OFFSET}), if it answers.
   */
  public static WebUi find(StepboxConfig config) {
    String configured = config.temporalUi();
    if (configured != null) {
      return configured.equals("none") ? none("STEPBOX_TEMPORAL_UI=none") : at(configured);
    }
    URI address = URI.create("tcp://" + config.temporalAddress());
    if (address.getHost() == null || address.getPort() < 0) {
      return none("set STEPBOX_TEMPORAL_UI to the Web UI of " + config.temporalAddress());
    }
    String guess = "http://" + address.getHost() + ":" + (address.getPort() + DEV_UI_OFFSET);
    return answers(guess)
        ? at(guess)
        : none("nothing answers at " + guess + "; STEPBOX_TEMPORAL_UI sets where it is");
  }

  /** The UI's address, if there is one. */
  public Optional<String> base() {
    return Optional.ofNullable(base);
  }

  /** Why there is no UI (for doctor); empty when there is one. */
  public Optional<String> whyNone() {
    return base == null ? Optional.of(why) : Optional.empty();
  }

  /** The page of the task (workflow) {@code workflowId} in {@code namespace}. */
  public Optional<String> taskPage(String namespace, String workflowId) {
    return base()
        .map(b -> b + "/namespaces/" + encode(namespace) + "/workflows/" + encode(workflowId));
  }

  private static boolean answers(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout((int) PROBE_TIMEOUT.toMillis());
      c.setReadTimeout((int) PROBE_TIMEOUT.toMillis());
      c.setInstanceFollowRedirects(false);
      try {
        int code = c.getResponseCode();
        return code >= 200 && code < 400;
      } finally {
        c.disconnect();
      }
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
