package io.stepbox.workflows.session;

import io.stepbox.workflows.egress.EgressPolicy;
import io.stepbox.workflows.step.MountSpec;
import io.stepbox.workflows.step.StepLimits;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The input of {@link SessionWorkflow#run}.
 *
 * @param image the container image
 * @param baseSnapshotId the snapshot the first exec starts from; null starts from the image
 * @param limits limits of every exec; null means {@link StepLimits#DEFAULTS}
 * @param network null for no network, or the name of an internal Docker network
 * @param env environment variables of every exec
 * @param secretNames variables whose values the worker takes from its own environment
 * @param workdir working directory of every exec; null means the image's
 * @param mounts host directories mounted read-only
 * @param idleTimeoutMillis the session ends (keeping its snapshot) after this long without an exec;
 *     0 means {@link #DEFAULT_IDLE_TIMEOUT}
 * @param continueAsNewAfter execs per run before the session continues as new; 0 means {@value
 *     #DEFAULT_CONTINUE_AS_NEW_AFTER}
 * @param carry counters carried across continue-as-new; null for a new session
 * @param egress the hosts every exec may reach through the egress proxy; null for none (then
 *     {@code network} decides)
 */
public record SessionInput(
    String image,
    String baseSnapshotId,
    StepLimits limits,
    String network,
    Map<String, String> env,
    List<String> secretNames,
    String workdir,
    List<MountSpec> mounts,
    long idleTimeoutMillis,
    int continueAsNewAfter,
    SessionCarry carry,
    EgressPolicy egress) {

  /** How long a session waits for its next exec by default. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

  /** Execs per run by default before continue-as-new. */
  public static final int DEFAULT_CONTINUE_AS_NEW_AFTER = 500;

  /** Fills the defaults. */
  public SessionInput {
    limits = limits == null ? StepLimits.DEFAULTS : limits;
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
    secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    idleTimeoutMillis =
        idleTimeoutMillis <= 0 ? DEFAULT_IDLE_TIMEOUT.toMillis() : idleTimeoutMillis;
    continueAsNewAfter =
        continueAsNewAfter <= 0 ? DEFAULT_CONTINUE_AS_NEW_AFTER : continueAsNewAfter;
    carry = carry == null ? SessionCarry.NEW : carry;
  }

  /** A session input without egress. */
  public SessionInput(
      String image,
      String baseSnapshotId,
      StepLimits limits,
      String network,
      Map<String, String> env,
      List<String> secretNames,
      String workdir,
      List<MountSpec> mounts,
      long idleTimeoutMillis,
      int continueAsNewAfter,
      SessionCarry carry) {
    this(
        image,
        baseSnapshotId,
        limits,
        network,
        env,
        secretNames,
        workdir,
        mounts,
        idleTimeoutMillis,
        continueAsNewAfter,
        carry,
        null);
  }

  /** A new session on {@code image} from {@code baseSnapshotId} (null: the image), defaults. */
  public static SessionInput of(String image, String baseSnapshotId) {
    return new SessionInput(image, baseSnapshotId, null, null, null, null, null, null, 0, 0, null);
  }

  /** This session's settings, starting at {@code snapshotId} with {@code newCarry}. */
  public SessionInput at(String snapshotId, SessionCarry newCarry) {
    return new SessionInput(
        image,
        snapshotId,
        limits,
        network,
        env,
        secretNames,
        workdir,
        mounts,
        idleTimeoutMillis,
        continueAsNewAfter,
        newCarry,
        egress);
  }

  /** This input with other limits. */
  public SessionInput withLimits(StepLimits newLimits) {
    return new SessionInput(
        image,
        baseSnapshotId,
        newLimits,
        network,
        env,
        secretNames,
        workdir,
        mounts,
        idleTimeoutMillis,
        continueAsNewAfter,
        carry,
        egress);
  }

  /** This input with another idle timeout and continue-as-new threshold. */
  public SessionInput withLifetime(long newIdleTimeoutMillis, int newContinueAsNewAfter) {
    return new SessionInput(
        image,
        baseSnapshotId,
        limits,
        network,
        env,
        secretNames,
        workdir,
        mounts,
        newIdleTimeoutMillis,
        newContinueAsNewAfter,
        carry,
        egress);
  }
}
