package io.stepbox.client;

import java.security.SecureRandom;

/** New task and session ids: {@code <name>-<6 random letters or digits>}. */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private Ids() {}

  /** {@code <name>-<6 random letters or digits>}, the name cut to what workflow ids like. */
  static String newId(String name) {
    String base =
        name == null ? "" : name.replaceAll("[^A-Za-z0-9_.-]+", "-").replaceAll("^-+|-+$", "");
    StringBuilder id = new StringBuilder(base.isEmpty() ? "task" : base).append('-');
    for (int i = 0; i < 6; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
