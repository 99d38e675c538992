package io.stepbox.workflows;

import java.util.List;

/** The images stepbox builds itself ({@code scripts/images}), and the one used when none is named. */
public final class Images {
  /** A busybox root filesystem: the default for sandboxes and sessions. */
  public static final String DEFAULT = "stepbox/base:busybox";

  /** Debian bookworm with Python 3, pip and git: the image of the demo task. */
  public static final String PYTHON = "stepbox/python:bookworm";

  /** Every image {@code scripts/images} builds, in the order {@code doctor} checks them. */
  public static final List<String> ALL = List.of(DEFAULT, PYTHON);

  private Images() {}
}
