package io.stepbox.workflows.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Null-tolerant copies for spec records: the validator, not a constructor, reports nulls. */
final class Specs {
  private Specs() {}

  static <T> List<T> list(List<T> in) {
    return in == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(in));
  }

  static <K, V> Map<K, V> map(Map<K, V> in) {
    return in == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(in));
  }
}
