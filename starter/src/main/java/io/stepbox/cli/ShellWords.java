package io.stepbox.cli;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Words quoted for {@code sh}, so that the commands stepbox prints can be pasted back. */
public final class ShellWords {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellWords() {}

  /**
   * The line {@code sh -c} runs: one argument is taken as a shell line ({@code -- 'cd /w &&
   * make'}); several are quoted as words, so that {@code -- printf '%s\n' "a b"} means what it
   * says.
   */
  public static String shellLine(List<String> words) {
    if (words.size() == 1) {
      return words.get(0);
    }
    return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
  }

  /** {@code word} as it must be written for {@code sh}: as is when plain, else single-quoted. */
  public static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
