package io.stepbox.specfile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.stepbox.workflows.spec.NetworkSpec;
import io.stepbox.workflows.spec.SecretSpec;
import io.stepbox.workflows.spec.SpecError;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns Jackson's reading errors into spec errors with a path, such as {@code steps[1].run}. */
final class JacksonErrors {
  private JacksonErrors() {}

  /** The spec error of {@code e}, met while reading {@code format} (YAML or JSON). */
  static SpecError of(JsonProcessingException e, String format) {
    if (e instanceof UnrecognizedPropertyException u) {
      return new SpecError(
          path(u), "unknown field; known fields here: " + known(u.getKnownPropertyIds()));
    }
    if (e instanceof InvalidFormatException f) {
      return new SpecError(
          path(f), "\"" + f.getValue() + "\" is not " + describe(f.getTargetType()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new SpecError(path(m), "expected " + describe(m.getTargetType()));
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return new SpecError(path(m), m.getOriginalMessage());
    }
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip();
    return new SpecError("", "not valid " + format + at(e.getLocation()) + ": " + message);
  }

  /** {@code steps[1].approaches[0].run}: the JSON path of the error, without a leading dot. */
  static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String describe(Class<?> type) {
    if (type == NetworkSpec.class) {
      return "none, a network name, or an egress policy like {allow: [example.org]}";
    }
    if (type == SecretSpec.class) {
      return "a variable name, or an egress secret like {name: TOKEN, hosts: [example.org]}";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list, like [a, b]";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping of fields, like {key: value}";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a text value";
  }

  private static String known(Collection<Object> ids) {
    List<String> names = ids.stream().map(String::valueOf).sorted().toList();
    return names.stream().collect(Collectors.joining(", "));
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
