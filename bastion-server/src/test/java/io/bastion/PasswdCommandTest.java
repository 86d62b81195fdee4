package io.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import io.bastion.security.PasswordFile;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PasswdCommandTest {

  @TempDir Path dir;

  @Test
  void writesAnEntryTheServerVerifies() throws Exception {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "# users\nbob:$pbkdf2-sha256$1000$c2FsdA$aGFzaA:ops\n");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("s3cret\n".getBytes(StandardCharsets.UTF_8)));
      int code = new CommandLine(new Main()).execute("passwd", file.toString(), "bob", "--password-stdin",
          "--iterations", "1000");
      assertThat(code).isZero();
    } finally {
      System.setIn(stdin);
    }
    PasswordFile f = PasswordFile.load(file);
    assertThat(f.verify("bob", "s3cret".getBytes(StandardCharsets.UTF_8)).groups()).containsExactly("ops");
    assertThat(Files.readString(file)).startsWith("# users\n").doesNotContain("s3cret");
  }
}
