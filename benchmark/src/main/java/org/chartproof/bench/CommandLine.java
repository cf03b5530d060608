package org.chartproof.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The command line as it can be pasted back into a shell, with the bearer token hidden. */
final class CommandLine {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

  private CommandLine() {}

  /**
   * This process's command line: the JVM's own record of how the harness was launched (JVM options
   * and jar path included) where the OS provides one, otherwise {@code java -jar
   * chartproof-bench.jar}; then {@code args} as given to main, the token hidden.
   */
  static String current(String[] args) {
    List<String> words = new ArrayList<>();
    words.add("java");
    words.addAll(launcher(ProcessHandle.current().info().arguments().orElse(new String[0])));
    words.addAll(redact(List.of(args)));
    return String.join(" ", words.stream().map(CommandLine::quote).toList());
  }

  /**
   * The JVM arguments up to and including the jar (after {@code -jar}) or main class; the program's
   * own arguments are left out since the OS may have dropped empty ones.
   */
  static List<String> launcher(String[] jvmArgs) {
    for (int i = 0; i < jvmArgs.length; i++) {
      if (jvmArgs[i].equals("-jar") && i + 1 < jvmArgs.length) {
        return List.of(jvmArgs).subList(0, i + 2);
      }
      if (jvmArgs[i].equals(Bench.class.getName())) {
        return List.of(jvmArgs).subList(0, i + 1);
      }
    }
    return List.of("-jar", "chartproof-bench.jar");
  }

  /** The arguments with the value of {@code --token} replaced by {@code ***}. */
  static List<String> redact(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--token=")) {
        out.add("--token=***");
      } else if (arg.equals("--token") && i + 1 < args.size()) {
        out.add(arg);
        out.add("***");
        i++;
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  /** Single-quotes a word for a POSIX shell when it contains anything but plain characters. */
  static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
