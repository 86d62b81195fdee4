package io.bastion.detect.model;

/** What a cohort model remembers about one client: its baseline and its recent flags. */
final class ClientTrack {

  final ClientBaseline baseline;
  /** One bit per recent window of this client, newest in bit 0; 1 = flagged and not excused. */
  private int votes;
  long lastSeenWindow;
  /** Windows a due verdict was held back while a possible fleet-wide shift showed itself. */
  byte deferred;
  long lastVerdictMillis = Long.MIN_VALUE;
  /** The cohort window in which this client was last excused as part of a fleet-wide shift. */
  long lastExcusedWindow = Long.MIN_VALUE / 2;

  ClientTrack(ClientBaseline baseline) {
    this.baseline = baseline;
  }

  /** Records this window's flag and returns how many of the last {@code voteWindows} were flagged. */
  int vote(boolean flagged, int voteWindows) {
    int mask = voteWindows >= 31 ? -1 : (1 << voteWindows) - 1;
    votes = ((votes << 1) | (flagged ? 1 : 0)) & mask;
    return Integer.bitCount(votes);
  }

  /** Whether the previous window of this client was flagged (and not excused). */
  boolean flaggedLastWindow() {
    return (votes & 1) != 0;
  }

  /** Whether any of the recent windows was flagged (and not excused). */
  boolean recentlyFlagged() {
    return votes != 0;
  }

  void clearVotes() {
    votes = 0;
  }

  static long bytesEstimate(int dimensions, int clientIdLength) {
    long object = 48;
    long mapEntry = 48;
    long key = 40 + clientIdLength;
    return object + mapEntry + key + ClientBaseline.bytesEstimate(dimensions);
  }
}
