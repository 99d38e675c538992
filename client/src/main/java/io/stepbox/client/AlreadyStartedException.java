package io.stepbox.client;

/** A task or session with the requested id is already running; nothing new was started. */
public final class AlreadyStartedException extends StepboxClientException {
  private static final long serialVersionUID = 1L;

  private final String id;

  /** The id {@code id} is taken by a running workflow. */
  public AlreadyStartedException(String kind, String id, Throwable cause) {
    super("a " + kind + " with id '" + id + "' is already running; pick another id", cause);
    this.id = id;
  }

  /** The id that is taken. */
  public String id() {
    return id;
  }
}
