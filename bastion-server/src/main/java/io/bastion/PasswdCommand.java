package io.bastion;

import io.bastion.security.PasswordFile;
import io.bastion.security.PasswordHasher;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Adds a user to a password file, or changes their password, keeping their groups. */
@Command(name = "passwd",
    description = "Set a user's password in a password file (PBKDF2-SHA256); the file is created if needed.")
final class PasswdCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "the password file")
  Path file;

  @Parameters(index = "1", paramLabel = "USER", description = "the username")
  String user;

  @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
  boolean fromStdin;

  @Option(names = "--iterations", description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
  int iterations = PasswordHasher.DEFAULT_ITERATIONS;

  @Override
  public Integer call() throws IOException {
    if (user.isEmpty() || user.contains(":") || user.contains("\n")) {
      System.err.println("a username must not be empty or contain ':'");
      return 2;
    }
    if (iterations < 1_000) {
      System.err.println("--iterations must be at least 1000");
      return 2;
    }
    char[] password = fromStdin ? fromStdin() : prompt();
    if (password == null || password.length == 0) {
      System.err.println("no password given");
      return 2;
    }
    String hash = PasswordHasher.hash(password, iterations);
    Arrays.fill(password, '\0');
    List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, PasswordFile.withUser(lines, user, hash), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(file + ": password set for " + user);
    return 0;
  }

  private static char[] fromStdin() throws IOException {
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null ? null : line.toCharArray();
  }

  private static char[] prompt() {
    Console console = System.console();
    if (console == null) {
      System.err.println("no terminal to prompt on; use --password-stdin");
      return null;
    }
    char[] first = console.readPassword("Password: ");
    char[] again = console.readPassword("Again: ");
    if (first == null || !Arrays.equals(first, again)) {
      System.err.println("the passwords differ");
      return null;
    }
    Arrays.fill(again, '\0');
    return first;
  }
}
