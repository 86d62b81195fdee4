package io.bastion.detect.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cohort model state on disk: one gzip-compressed file per cohort, written to a temporary file and
 * moved into place, so a crash mid-write leaves the previous checkpoint intact. Reading accepts only
 * the classes a checkpoint is made of; anything unreadable or incompatible is logged and skipped.
 */
final class ModelCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoints.class);
  static final String SUFFIX = ".model.gz";

  private static final ObjectInputFilter ONLY_CHECKPOINTS = info -> {
    Class<?> c = info.serialClass();
    if (info.depth() > 64 || info.references() > 10_000_000 || info.arrayLength() > 50_000_000) {
      return ObjectInputFilter.Status.REJECTED;
    }
    if (c == null) {
      return ObjectInputFilter.Status.UNDECIDED;
    }
    while (c.isArray()) {
      c = c.getComponentType();
    }
    String name = c.getName();
    if (c.isPrimitive()
        || c == CohortCheckpoint.class
        || name.startsWith("com.amazon.randomcutforest.")
        || name.startsWith("java.lang.")
        || name.startsWith("java.util.")) {
      return ObjectInputFilter.Status.ALLOWED;
    }
    return ObjectInputFilter.Status.REJECTED;
  };

  private final Path dir;

  ModelCheckpoints(Path dir) {
    this.dir = dir;
  }

  Path fileFor(String cohort) {
    String safe = cohort.replaceAll("[^A-Za-z0-9._-]", "_");
    return dir.resolve(String.format(Locale.ROOT, "%s-%08x%s", safe, cohort.hashCode(), SUFFIX));
  }

  void save(CohortCheckpoint checkpoint) throws IOException {
    Files.createDirectories(dir);
    Path target = fileFor(checkpoint.cohort());
    Path temp = Files.createTempFile(dir, ".checkpoint-", ".tmp");
    try {
      try (OutputStream file = Files.newOutputStream(temp);
          ObjectOutputStream out =
              new ObjectOutputStream(new GZIPOutputStream(new BufferedOutputStream(file), 65536))) {
        out.writeObject(checkpoint);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Every readable, compatible checkpoint in the directory; the rest are logged and skipped. */
  List<CohortCheckpoint> loadAll(int dimensions, int trees, int sampleSize) {
    List<CohortCheckpoint> loaded = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return loaded;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        load(file, dimensions, trees, sampleSize).ifPresent(loaded::add);
      }
    } catch (IOException e) {
      LOG.warn("Cannot list model checkpoints in {}: {}; every cohort starts learning anew", dir, e.toString());
    }
    return loaded;
  }

  Optional<CohortCheckpoint> load(Path file, int dimensions, int trees, int sampleSize) {
    CohortCheckpoint c;
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file)));
        ObjectInputStream objects = new ObjectInputStream(in)) {
      objects.setObjectInputFilter(ONLY_CHECKPOINTS);
      Object read = objects.readObject();
      if (!(read instanceof CohortCheckpoint checkpoint)) {
        throw new InvalidClassException("not a model checkpoint: " + read.getClass().getName());
      }
      c = checkpoint;
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      LOG.warn("Model checkpoint {} is corrupt ({}); ignored, its cohort starts learning anew", file, e.toString());
      return Optional.empty();
    }
    String mismatch = null;
    if (c.format() != CohortCheckpoint.FORMAT) {
      mismatch = "format " + c.format() + ", expected " + CohortCheckpoint.FORMAT;
    } else if (c.dimensions() != dimensions) {
      mismatch = c.dimensions() + " features, expected " + dimensions;
    } else if (c.trees() != trees || c.sampleSize() != sampleSize) {
      mismatch = "trees " + c.trees() + " / sample-size " + c.sampleSize()
          + ", configured " + trees + " / " + sampleSize;
    } else if (c.forest() == null || c.cohort() == null) {
      mismatch = "incomplete";
    }
    if (mismatch != null) {
      LOG.warn("Model checkpoint {} is incompatible ({}); ignored, cohort '{}' starts learning anew",
          file, mismatch, c.cohort());
      return Optional.empty();
    }
    return Optional.of(c);
  }
}
