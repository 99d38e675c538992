package io.stepbox.workflows.spec;

import io.stepbox.workflows.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Collects spec errors with their paths; the checks every part of a spec shares. */
final class SpecErrors {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final List<SpecError> errors = new ArrayList<>();

  void add(String path, String message) {
    errors.add(new SpecError(path, message));
  }

  List<SpecError> list() {
    return List.copyOf(errors);
  }

  /** Reports a null or blank value; returns whether the value is present. */
  boolean present(String path, String value) {
    if (value == null || value.isBlank()) {
      add(path, "must not be empty");
      return false;
    }
    return true;
  }

  /** Reports a value that is not a lower-case id; {@code seen} catches duplicates. */
  void id(String path, String value, Set<String> seen) {
    if (!present(path, value)) {
      return;
    }
    if (!ID.matcher(value).matches()) {
      add(path, quote(value) + " is not a valid id (use a-z, 0-9, _ and -, starting a-z or 0-9)");
    } else if (!seen.add(value)) {
      add(path, "duplicate id " + quote(value));
    }
  }

  /** Reports a path that is not absolute and normalized; optional values may be null. */
  void absolute(String path, String value, boolean optional) {
    if (optional && value == null) {
      return;
    }
    if (!present(path, value)) {
      return;
    }
    boolean dotted = value.matches("(.*/)?\\.{1,2}(/.*)?");
    if (!value.startsWith("/") || dotted || value.contains("//")) {
      add(path, quote(value) + " must be an absolute path, like /workspace/out");
    }
  }

  void size(String path, String text) {
    if (text == null) {
      return;
    }
    try {
      Units.parseBytes(path, text);
    } catch (IllegalArgumentException e) {
      add(path, quote(text) + " is not a size (use e.g. 512m, 1g)");
    }
  }

  void duration(String path, String text) {
    if (text == null) {
      return;
    }
    try {
      Units.parseDuration(path, text);
    } catch (IllegalArgumentException e) {
      add(path, quote(text) + " is not a duration (use e.g. 30s, 10m, 24h)");
    }
  }

  /** Reports invalid names and null values of an environment map under {@code path}. */
  void env(String path, Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String at = path + "." + e.getKey();
      if (e.getKey() == null || !ENV_NAME.matcher(e.getKey()).matches()) {
        add(at, "not a valid variable name (use A-Z, a-z, 0-9 and _, not starting with a digit)");
      }
      if (e.getValue() == null) {
        add(at, "must have a value (write \"\" for an empty one)");
      }
    }
  }

  static String quote(String s) {
    return "\"" + s + "\"";
  }
}
