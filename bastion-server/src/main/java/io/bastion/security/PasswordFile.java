package io.bastion.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Users and their password hashes: one {@code user:hash} or {@code user:hash:group1,group2} line
 * each, {@code #} starts a comment. Written by {@code bastion passwd}; read once per (re)load.
 */
public final class PasswordFile {

  /** One user. */
  public record User(String name, String hash, List<String> groups) {}

  // verifying against this keeps unknown users as slow as known ones
  private static final String DUMMY_HASH = PasswordHasher.hash("dummy".toCharArray(), 1000);

  private final Map<String, User> users;

  private PasswordFile(Map<String, User> users) {
    this.users = users;
  }

  public static PasswordFile load(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * @throws IllegalArgumentException naming the line of a malformed entry
   */
  public static PasswordFile parse(List<String> lines, String source) {
    Map<String, User> users = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":", 3);
      if (parts.length < 2 || parts[0].isEmpty() || !PasswordHasher.isValidHash(parts[1])) {
        throw new IllegalArgumentException(source + " line " + (i + 1)
            + ": expected user:$pbkdf2-sha256$...[:groups] (written by 'bastion passwd')");
      }
      List<String> groups = parts.length == 3 && !parts[2].isBlank()
          ? Arrays.stream(parts[2].split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList()
          : List.of();
      users.put(parts[0], new User(parts[0], parts[1], groups));
    }
    return new PasswordFile(users);
  }

  /** The user if the password is right, else null. Slow: off the event loop. */
  public User verify(String username, byte[] password) {
    User u = username == null ? null : users.get(username);
    java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(password));
    char[] chars = new char[decoded.remaining()];
    decoded.get(chars);
    Arrays.fill(decoded.array(), '\0');
    try {
      boolean ok = PasswordHasher.verify(chars, u == null ? DUMMY_HASH : u.hash());
      return ok && u != null ? u : null;
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** The file's lines with {@code user} set to {@code hash}, keeping other lines and its groups. */
  public static List<String> withUser(List<String> lines, String user, String hash) {
    List<String> out = new ArrayList<>();
    boolean replaced = false;
    for (String line : lines) {
      String[] parts = line.split(":", 3);
      if (!line.strip().startsWith("#") && parts.length >= 2 && parts[0].equals(user)) {
        out.add(user + ":" + hash + (parts.length == 3 ? ":" + parts[2] : ""));
        replaced = true;
      } else {
        out.add(line);
      }
    }
    if (!replaced) {
      out.add(user + ":" + hash);
    }
    return out;
  }

  public int size() {
    return users.size();
  }

  Map<String, User> users() {
    return new HashMap<>(users);
  }
}
