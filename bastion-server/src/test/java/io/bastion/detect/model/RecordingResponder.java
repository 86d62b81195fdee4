package io.bastion.detect.model;

import io.bastion.detect.Detection;
import io.bastion.detect.Responder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A responder that remembers every detection and flags the clients it was told about. */
final class RecordingResponder implements Responder {

  final List<Detection> detections = new CopyOnWriteArrayList<>();

  @Override
  public void respond(Detection detection) {
    detections.add(detection);
  }

  @Override
  public boolean flagged(String clientId) {
    return detections.stream().anyMatch(d -> clientId.equals(d.clientId()));
  }
}
