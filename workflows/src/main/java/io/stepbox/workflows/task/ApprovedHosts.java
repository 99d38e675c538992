package io.stepbox.workflows.task;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hosts people approved for each step's allow list ({@code network.onDenied: approve}):
 * workflow state, so that every later attempt of the step, and a later question, include them.
 */
final class ApprovedHosts {
  private final Map<String, Set<String>> byStep = new HashMap<>();

  /** Adds {@code hosts} to step {@code stepId}'s allow list. */
  void add(String stepId, List<String> hosts) {
    byStep.computeIfAbsent(stepId, k -> new LinkedHashSet<>()).addAll(hosts);
  }

  /** The hosts approved for step {@code stepId}, in the order they were approved. */
  List<String> of(String stepId) {
    return List.copyOf(byStep.getOrDefault(stepId, Set.of()));
  }
}
