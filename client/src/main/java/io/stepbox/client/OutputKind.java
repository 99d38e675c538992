package io.stepbox.client;

/** Which output stream of a step or exec. */
public enum OutputKind {
  STDOUT,
  STDERR
}
