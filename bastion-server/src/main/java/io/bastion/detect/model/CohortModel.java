package io.bastion.detect.model;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.config.ForestMode;
import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import io.bastion.config.DetectionMode;
import io.bastion.config.ModelConfig;
import io.bastion.detect.ClientWindow;
import io.bastion.detect.Detection;
import io.bastion.detect.Responder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anomaly model of one cohort: a Random Cut Forest shared by all its clients ("unlike its
 * cohort"), a baseline per client ("unlike itself"), votes over recent windows, and the fleet-wide
 * shift excuse. Not thread-safe: it is owned by one thread (see {@link FleetModel}).
 */
final class CohortModel {

  private static final Logger LOG = LoggerFactory.getLogger(CohortModel.class);
  private static final int D = FeatureScaling.DIMENSIONS;
  private static final double SCORE_STATS_WEIGHT = 0.002;
  private static final double COHORT_MEAN_WEIGHT = 0.002;

  private final String cohort;
  private final ModelConfig config;
  private final ModelTuning tuning;
  private ThresholdedRandomCutForest forest;
  private long windowsSeen;
  private boolean announcedWarm;
  private double scoreMean;
  private double scoreVariance;
  private long scoreCount;
  private final double[] cohortMean = new double[D];
  /** The highest value any settled member of the cohort showed lately, per feature (decaying). */
  private final double[] cohortPeak = new double[D];
  private final Map<String, ClientTrack> clients = new HashMap<>();
  private final long[] excusedUntilWindow = new long[D];
  /** Per feature, clients that started deviating on it in each of the last SHIFT_SPAN windows. */
  private final int[][] startedDeviating = new int[SHIFT_SPAN][D];
  private static final int SHIFT_SPAN = 6;
  private static final int MAX_DEFERRED = 3;
  /** Windows after its last excused one that a client still counts as part of a shift. */
  private static final long SHIFT_MEMBER_WINDOWS = 12;
  private static final double EXCUSED_WEIGHT = 0.2;
  private static final long VETERAN_WINDOWS = 360;
  private static final int NEW_TOPIC_SHARE = io.bastion.detect.ClientFeature.NEW_TOPIC_SHARE.ordinal();
  /**
   * Features that flag a client going far beyond its own peak however much they vary: sizes (a
   * window without a message shows none, so their spread says little) and things a settled device
   * never does. Counts are left to the spread: a device that got two commands instead of one is not
   * beyond itself, and every reconnect shows the session-start features again.
   */
  private static final boolean[] BEYOND_OWN_PEAK = new boolean[D];

  static {
    for (io.bastion.detect.ClientFeature feature : List.of(
        io.bastion.detect.ClientFeature.PAYLOAD_MEAN, io.bastion.detect.ClientFeature.PAYLOAD_MAX,
        io.bastion.detect.ClientFeature.WILL_SIZE, io.bastion.detect.ClientFeature.TOPIC_DEPTH_MAX,
        io.bastion.detect.ClientFeature.RETAINED_RATIO, io.bastion.detect.ClientFeature.QOS2_RATIO,
        io.bastion.detect.ClientFeature.NEW_TOPIC_SHARE, io.bastion.detect.ClientFeature.WILDCARD_FILTERS,
        io.bastion.detect.ClientFeature.SYS_FILTERS, io.bastion.detect.ClientFeature.ACL_DENIALS,
        io.bastion.detect.ClientFeature.TAKEOVERS, io.bastion.detect.ClientFeature.STUCK_BYTES,
        io.bastion.detect.ClientFeature.STUCK_MILLIS, io.bastion.detect.ClientFeature.AUTH_FAILURES,
        io.bastion.detect.ClientFeature.MALFORMED)) {
      BEYOND_OWN_PEAK[feature.ordinal()] = true;
    }
  }
  private long verdicts;
  private long shifts;
  private long excusedWindows;
  /** Clients starting to deviate together that make a fleet-wide shift in this cohort now. */
  private int shiftNeeded = Integer.MAX_VALUE;
  private long lastWindowEndMillis;

  CohortModel(String cohort, ModelConfig config, ModelTuning tuning) {
    this.cohort = cohort;
    this.config = config;
    this.tuning = tuning;
    this.forest = newForest(config, cohort.hashCode());
  }

  static ThresholdedRandomCutForest newForest(ModelConfig config, long seed) {
    return ThresholdedRandomCutForest.builder()
        .dimensions(D)
        .shingleSize(1)
        .numberOfTrees(config.trees())
        .sampleSize(config.sampleSize())
        .precision(Precision.FLOAT_32)
        .forestMode(ForestMode.STANDARD)
        .transformMethod(TransformMethod.NONE)
        .boundingBoxCacheFraction(0.5)
        .timeDecay(1.0 / (20.0 * config.sampleSize()))
        .parallelExecutionEnabled(false)
        .randomSeed(seed)
        .build();
  }

  /** One window's findings about a client, kept between the scoring and the voting pass. */
  private static final class Finding {
    final ClientWindow window;
    final ClientTrack track;
    final double[] x;
    final boolean flaggedElsewhere;
    double score;
    final List<Integer> selfFeatures = new ArrayList<>(3);
    double selfZ;
    double riseZ;
    boolean scored;
    List<Integer> cohortFeatures = List.of();
    boolean cohortFlag;

    Finding(ClientWindow window, ClientTrack track, double[] x, boolean flaggedElsewhere) {
      this.window = window;
      this.track = track;
      this.x = x;
      this.flaggedElsewhere = flaggedElsewhere;
    }

    boolean flagged() {
      return cohortFlag || !selfFeatures.isEmpty();
    }
  }

  /** Judges one closed window of this cohort's clients; returns the verdicts it reached. */
  List<Detection> judge(List<ClientWindow> windows, Responder responder, Instant now) {
    windowsSeen++;
    boolean warm = warmedUp();
    if (warm && !announcedWarm) {
      announcedWarm = true;
      LOG.info("Anomaly model of cohort '{}' warmed up after {} windows; judging from now on",
          cohort, windowsSeen);
    }
    for (int i = 0; i < D; i++) {
      cohortPeak[i] = Math.max(0, cohortPeak[i] - tuning.peakDecay());
    }
    RandomCutForest rcf = forest.getForest();
    boolean forestReady = rcf.isOutputReady();
    double threshold = threshold();
    List<Finding> findings = new ArrayList<>(windows.size());
    for (ClientWindow w : windows) {
      lastWindowEndMillis = Math.max(lastWindowEndMillis, w.windowEndMillis());
      ClientTrack track = clients.computeIfAbsent(w.clientId(), id -> new ClientTrack(new ClientBaseline(D)));
      track.lastSeenWindow = windowsSeen;
      Finding f = new Finding(w, track, FeatureScaling.scale(w.values()), responder.flagged(w.clientId()));
      if (warm) {
        judgeAgainstItself(f);
      }
      // The forest judges new clients and clients that moved away from their own usual; a client
      // that behaves as it always did is not scored again (plus a sample, for the score statistics).
      boolean sampled = ((w.clientId().hashCode() + windowsSeen) & 15) == 0;
      f.scored = forestReady && (sampled || (warm && (!established(f) || f.riseZ >= tuning.screenZ())));
      f.score = f.scored ? rcf.getAnomalyScore(f.x) : 0;
      if (warm) {
        // a client without a baseline of its own must stand out further: a new device that is
        // merely larger than its cohort's usual is not an attacker
        double bar = established(f) ? threshold : threshold * tuning.newClientMargin();
        // an established client that behaves as it always did is not "unlike its cohort" today:
        // it was judged against the cohort when it was new
        boolean moved = !established(f) || f.riseZ >= tuning.screenZ();
        List<Integer> beyondEnvelope = beyondCohortEnvelope(f);
        if (!beyondEnvelope.isEmpty()) {
          // doing what no settled member of its kind did lately, by a wide margin: unlike its
          // cohort whatever the forest's score (one extreme feature moves the score little)
          f.cohortFlag = true;
          f.cohortFeatures = beyondEnvelope;
        } else if (f.scored && moved && f.score > bar) {
          List<Integer> attributed = attributedFeatures(rcf.getAnomalyAttribution(f.x));
          if (established(f)) {
            // unlike its cohort and unlike itself in the same respect: a device that has long been
            // the odd one out of its cohort (a firmware the others lack) is not an attacker today
            List<Integer> itsOwn = movedFeatures(f, attributed);
            f.cohortFlag = !itsOwn.isEmpty();
            f.cohortFeatures = itsOwn;
          } else {
            // a new client is unlike its cohort only where it goes beyond what any settled member
            // did lately: a new device at the large end of its cohort is not an attacker
            List<Integer> beyond = beyondCohort(f.x, attributed);
            f.cohortFlag = !beyond.isEmpty();
            f.cohortFeatures = beyond;
          }
        }
      }
      findings.add(f);
    }
    boolean[] shifting = fleetShift(findings, windows.size());
    List<Detection> out = new ArrayList<>();
    int updates = 0;
    long stride = Math.max(1, (windows.size() + tuning.maxUpdatesPerWindow() - 1) / tuning.maxUpdatesPerWindow());
    int index = 0;
    for (Finding f : findings) {
      index++;
      // a client that took part in a shift lately is still catching up with it on other features
      // (a tenfold payload shows in the bytes too), as long as a shift is still under way
      boolean partOfShift = shiftUnderWay(shifting) && windowsSeen - f.track.lastExcusedWindow <= SHIFT_MEMBER_WINDOWS;
      boolean excused = f.flagged() && established(f) && (excused(f, shifting) || partOfShift);
      if (excused) {
        excusedWindows++;
        f.track.lastExcusedWindow = windowsSeen;
      }
      boolean counts = f.flagged() && !excused;
      int flaggedWindows = f.track.vote(counts, config.voteWindows());
      if (counts && flaggedWindows >= config.votes() && shiftBuilding(f) && f.track.deferred < MAX_DEFERRED) {
        // other clients started deviating the same way within the last minute: wait a few windows
        // for a fleet-wide shift to show itself before calling this one an attack
        f.track.deferred++;
      } else if (counts && flaggedWindows >= config.votes()) {
        f.track.deferred = 0;
        long sinceLast = f.window.windowEndMillis() - f.track.lastVerdictMillis;
        if (f.track.lastVerdictMillis == Long.MIN_VALUE
            || sinceLast >= tuning.repeatVerdictWindows() * f.window.windowMillis()) {
          f.track.lastVerdictMillis = f.window.windowEndMillis();
          out.add(verdict(f, threshold, now));
          verdicts++;
        }
      }
      if (f.flaggedElsewhere) {
        continue; // never learn from a client under suspicion: the attack must not become normal
      }
      if (counts) {
        // a flagged window widens the baseline only a little: too little for an attack to become
        // normal before its verdict, enough that a rare benign spike is not flagged forever; a
        // client still learning its baseline does not learn from it at all, or an attacker that
        // starts as a new client would make its attack its own normal
        if (established(f)) {
          f.track.baseline.learn(f.x, tuning.baselineWeight() / 4, tuning.peakDecay(), false, true);
        }
        continue;
      }
      // a client excused for a fleet-wide shift takes the new level in fast, so that it is its own
      // usual before the excuse ends
      f.track.baseline.learn(f.x, excused ? EXCUSED_WEIGHT : tuning.baselineWeight(), tuning.peakDecay(), true,
          established(f));
      if (f.track.recentlyFlagged()) {
        continue; // flagged lately: its windows are not the cohort's normal until it settles again
      }
      if (veteran(f) && !f.flagged()) {
        for (int i = 0; i < D; i++) {
          cohortPeak[i] = Math.max(cohortPeak[i], f.x[i]);
        }
      }
      for (int i = 0; i < D; i++) {
        cohortMean[i] += (f.x[i] - cohortMean[i]) * (scoreCount == 0 ? 1 : COHORT_MEAN_WEIGHT);
      }
      if (!veteran(f)) {
        continue; // only clients with a long clean record teach the cohort: a hundred new attackers must not
      }
      if (f.scored && !f.flagged()) {
        learnScore(f.score);
      }
      if ((index + windowsSeen) % stride == 0 && updates < tuning.maxUpdatesPerWindow()) {
        // the forest is trained directly: the thresholded wrapper's own thresholder follows one
        // time series and would mute alerts after each anomaly, whereas a cohort interleaves
        // hundreds of clients, so the cohort's threshold is kept here (threshold())
        rcf.update(f.x);
        updates++;
      }
    }
    if (windowsSeen % 60 == 0) {
      forgetIdle();
    }
    return out;
  }

  private void judgeAgainstItself(Finding f) {
    ClientBaseline b = f.track.baseline;
    if (b.windows() < tuning.baselineWindows()) {
      return;
    }
    double[] z = new double[D];
    for (int i = 0; i < D; i++) {
      if (ClientBaseline.absent(i, f.x)) {
        continue;
      }
      double rise = b.zScore(i, f.x[i], tuning.spreadFloor());
      f.riseZ = Math.max(f.riseZ, rise);
      if (f.x[i] - b.mean(i) < tuning.selfMinChange() || f.x[i] - b.peak(i) < tuning.peakMargin()) {
        continue; // only rises beyond what it did lately count: a device going quiet is an outage
      }
      // far beyond its own peak counts however much it varies: features that are often zero
      // (no message in a window) have a wide spread that hides a tenfold payload
      z[i] = f.x[i] - b.peak(i) >= tuning.envelopeMargin() && BEYOND_OWN_PEAK[i] ? Math.max(rise, tuning.selfZ()) : rise;
    }
    while (true) {
      int best = -1;
      for (int i = 0; i < D; i++) {
        if (z[i] >= tuning.selfZ() && (best < 0 || z[i] > z[best])) {
          best = i;
        }
      }
      if (best < 0) {
        return;
      }
      f.selfZ = Math.max(f.selfZ, z[best]);
      f.selfFeatures.add(best);
      z[best] = 0;
    }
  }

  /**
   * Features on which a window goes beyond the cohort's envelope (the largest value any settled
   * member showed lately) by {@link ModelTuning#envelopeMargin()}, furthest first. An established
   * client must also be beyond its own peak: it is not new for it. The share of never-used topics
   * means nothing for a client still learning its baseline: all its topics are new.
   */
  private List<Integer> beyondCohortEnvelope(Finding f) {
    List<Integer> beyond = new ArrayList<>(3);
    boolean settled = established(f);
    for (int i = 0; i < D; i++) {
      double excess = f.x[i] - cohortPeak[i] - tuning.envelopeMargin();
      if (excess <= 0 || (!settled && i == NEW_TOPIC_SHARE)) {
        continue;
      }
      if (settled && f.x[i] - f.track.baseline.peak(i) < tuning.envelopeMargin()) {
        continue;
      }
      int at = 0;
      while (at < beyond.size() && f.x[beyond.get(at)] - cohortPeak[beyond.get(at)] >= f.x[i] - cohortPeak[i]) {
        at++;
      }
      beyond.add(at, i);
    }
    return beyond.size() > 3 ? new ArrayList<>(beyond.subList(0, 3)) : beyond;
  }

  private List<Integer> movedFeatures(Finding f, List<Integer> attributed) {
    List<Integer> moved = new ArrayList<>(attributed.size());
    ClientBaseline b = f.track.baseline;
    for (int i : attributed) {
      if (!ClientBaseline.absent(i, f.x) && b.zScore(i, f.x[i], tuning.spreadFloor()) >= tuning.screenZ()) {
        moved.add(i);
      }
    }
    return moved;
  }

  private List<Integer> beyondCohort(double[] x, List<Integer> attributed) {
    List<Integer> beyond = new ArrayList<>(3);
    for (int i : attributed) {
      if (x[i] > cohortPeak[i] + tuning.peakMargin()) {
        beyond.add(i);
      }
    }
    for (int i = 0; i < D && beyond.size() < 3; i++) {
      if (!beyond.contains(i) && x[i] > cohortPeak[i] + tuning.peakMargin()) {
        beyond.add(i);
      }
    }
    return beyond;
  }

  /** The features that pushed a point out, strongest first. */
  private List<Integer> attributedFeatures(DiVector attribution) {
    List<Integer> top = new ArrayList<>(3);
    double total = 0;
    for (int i = 0; i < D; i++) {
      total += attribution.high[i] + attribution.low[i];
    }
    for (int k = 0; k < 3; k++) {
      int best = -1;
      double bestValue = 0;
      for (int i = 0; i < D; i++) {
        double v = attribution.high[i] + attribution.low[i];
        if (v > bestValue && !top.contains(i)) {
          best = i;
          bestValue = v;
        }
      }
      if (best < 0 || bestValue < 0.1 * total) {
        break;
      }
      top.add(best);
    }
    return top;
  }

  /**
   * Features on which many established clients deviate in the same window: a failover, a firmware
   * rollout, not an attack. Marks them excused for a while so the baselines can catch up.
   */
  private boolean[] fleetShift(List<Finding> findings, int active) {
    int[] counts = startedDeviating[(int) (windowsSeen % SHIFT_SPAN)];
    java.util.Arrays.fill(counts, 0);
    for (Finding f : findings) {
      if (!f.flagged() || !established(f) || f.track.flaggedLastWindow()) {
        continue; // each client counts once, when it starts deviating
      }
      boolean[] seen = new boolean[D];
      for (int i : f.selfFeatures) {
        seen[i] = true;
      }
      for (int i : f.cohortFeatures) {
        seen[i] = true;
      }
      for (int i = 0; i < D; i++) {
        if (seen[i]) {
          counts[i]++;
        }
      }
    }
    int needed = Math.max(tuning.shiftMinClients(), (int) Math.ceil(tuning.shiftShare() * active));
    needed = Math.min(needed, Math.max(3, active / 3));
    shiftNeeded = needed;
    for (int i = 0; i < D; i++) {
      int recent = 0;
      for (int[] window : startedDeviating) {
        recent += window[i];
      }
      if (recent >= needed) {
        if (excusedUntilWindow[i] < windowsSeen) {
          shifts++;
          LOG.info("Fleet-wide shift in cohort '{}': {} clients within {} windows on {}; excused for {} windows",
              cohort, recent, SHIFT_SPAN, io.bastion.detect.ClientFeature.values()[i].label(),
              tuning.shiftExcuseWindows());
        }
        excusedUntilWindow[i] = windowsSeen + tuning.shiftExcuseWindows();
      }
    }
    boolean[] shifting = new boolean[D];
    for (int i = 0; i < D; i++) {
      shifting[i] = excusedUntilWindow[i] >= windowsSeen;
    }
    return shifting;
  }

  /** Whether a quarter of a fleet-wide shift's clients (at least one other) started deviating on one of its features lately. */
  private static boolean shiftUnderWay(boolean[] shifting) {
    for (boolean s : shifting) {
      if (s) {
        return true;
      }
    }
    return false;
  }

  private boolean shiftBuilding(Finding f) {
    if (!established(f)) {
      return false; // a shift is excused only for settled clients: waiting would change nothing
    }
    int itself = 1;
    int others = Math.max(1, shiftNeeded / 4);
    for (int i : f.selfFeatures) {
      if (recentStarters(i) - itself >= others) {
        return true;
      }
    }
    for (int i : f.cohortFeatures) {
      if (recentStarters(i) - itself >= others) {
        return true;
      }
    }
    return false;
  }

  private int recentStarters(int feature) {
    int recent = 0;
    for (int[] window : startedDeviating) {
      recent += window[feature];
    }
    return recent;
  }

  /**
   * A client with a long clean record: only these define what the cohort does (its envelope, its
   * forest, its score statistics). An hour, or half the cohort's life while it is younger, so that
   * attackers arriving as many new clients never teach the cohort their attack.
   */
  private boolean veteran(Finding f) {
    long needed = Math.max(tuning.baselineWindows(), Math.min(VETERAN_WINDOWS, windowsSeen / 2));
    return f.track.baseline.windows() >= needed;
  }

  private boolean established(Finding f) {
    return f.track.baseline.windows() >= tuning.baselineWindows();
  }

  private static boolean excused(Finding f, boolean[] shifting) {
    for (int i : f.selfFeatures) {
      if (!shifting[i]) {
        return false;
      }
    }
    if (!f.cohortFlag) {
      return true;
    }
    return !f.cohortFeatures.isEmpty() && shifting[f.cohortFeatures.get(0)];
  }

  private Detection verdict(Finding f, double threshold, Instant now) {
    List<String> because = new ArrayList<>(4);
    boolean[] said = new boolean[D];
    for (int i : f.selfFeatures) {
      if (because.size() < 3 && !said[i]) {
        said[i] = true;
        because.add(Explanation.of(i, f.x[i], f.track.baseline.mean(i), "its own"));
      }
    }
    for (int i : f.cohortFeatures) {
      if (because.size() < 4 && !said[i]) {
        said[i] = true;
        because.add(Explanation.of(i, f.x[i], cohortMean[i], "its cohort's"));
      }
    }
    if (because.isEmpty()) {
      because.add(String.format(java.util.Locale.ROOT,
          "unlike its cohort (forest score %.2f over %.2f)", f.score, threshold));
    }
    double grade = 0;
    if (f.cohortFlag) {
      grade = Math.max(grade, Math.min(1, (f.score - threshold) / threshold));
    }
    if (!f.selfFeatures.isEmpty()) {
      grade = Math.max(grade, Math.min(1, (f.selfZ - tuning.selfZ()) / (2 * tuning.selfZ())));
    }
    grade = Math.max(grade, 0.01);
    Detection.Action wanted;
    if (config.mode() == DetectionMode.OBSERVE) {
      wanted = Detection.Action.OBSERVE;
    } else {
      boolean both = f.cohortFlag && !f.selfFeatures.isEmpty();
      wanted = both || grade >= 0.5 ? Detection.Action.BLOCK : Detection.Action.DENY;
    }
    return new Detection(now, "model", f.window.clientId(), f.window.remoteIp(), cohort, grade,
        List.copyOf(because), wanted);
  }

  private double threshold() {
    if (scoreCount < 100) {
      return Double.MAX_VALUE;
    }
    return Math.max(tuning.scoreFloor(), scoreMean + tuning.scoreSigmas() * Math.sqrt(scoreVariance));
  }

  private void learnScore(double score) {
    scoreCount++;
    double w = Math.max(1.0 / scoreCount, SCORE_STATS_WEIGHT);
    double d = score - scoreMean;
    scoreMean += w * d;
    scoreVariance = (1 - w) * (scoreVariance + w * d * d);
  }

  private void forgetIdle() {
    Iterator<ClientTrack> it = clients.values().iterator();
    while (it.hasNext()) {
      if (windowsSeen - it.next().lastSeenWindow > tuning.forgetWindows()) {
        it.remove();
      }
    }
  }

  boolean warmedUp() {
    return windowsSeen >= config.warmUpWindows();
  }

  String cohort() {
    return cohort;
  }

  long windowsSeen() {
    return windowsSeen;
  }

  int clientsTracked() {
    return clients.size();
  }

  /** The forest score above which a window is unlike its cohort (for the logs and the suite). */
  double scoreThreshold() {
    return threshold();
  }

  double scoreMean() {
    return scoreMean;
  }

  double scoreSpread() {
    return Math.sqrt(scoreVariance);
  }

  long verdicts() {
    return verdicts;
  }

  long shifts() {
    return shifts;
  }

  long excusedWindows() {
    return excusedWindows;
  }

  /** Heap this cohort holds: the forest's nodes and points, and every client's track. */
  long memoryEstimate() {
    return ModelMemory.forestBytes(config) + (long) clients.size() * ModelMemory.perClientBytes();
  }

  CohortCheckpoint checkpoint(com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestMapper mapper) {
    String[] ids = new String[clients.size()];
    float[][] means = new float[ids.length][];
    float[][] variances = new float[ids.length][];
    float[][] peaks = new float[ids.length][];
    int[] baselineWindows = new int[ids.length];
    int k = 0;
    for (Map.Entry<String, ClientTrack> e : clients.entrySet()) {
      ids[k] = e.getKey();
      means[k] = e.getValue().baseline.means().clone();
      variances[k] = e.getValue().baseline.variances().clone();
      peaks[k] = e.getValue().baseline.peaks().clone();
      baselineWindows[k] = e.getValue().baseline.windows();
      k++;
    }
    return new CohortCheckpoint(CohortCheckpoint.FORMAT, cohort, D, config.trees(), config.sampleSize(),
        windowsSeen, scoreMean, scoreVariance, scoreCount, cohortMean.clone(),
        cohortPeak.clone(), mapper.toState(forest), ids, means, variances, peaks, baselineWindows);
  }

  void restore(CohortCheckpoint c, com.amazon.randomcutforest.parkservices.state.ThresholdedRandomCutForestMapper mapper) {
    forest = mapper.toModel(c.forest());
    windowsSeen = c.windowsSeen();
    scoreMean = c.scoreMean();
    scoreVariance = c.scoreVariance();
    scoreCount = c.scoreCount();
    System.arraycopy(c.cohortMean(), 0, cohortMean, 0, D);
    System.arraycopy(c.cohortPeak(), 0, cohortPeak, 0, D);
    clients.clear();
    for (int i = 0; i < c.clientIds().length; i++) {
      ClientTrack t = new ClientTrack(new ClientBaseline(c.means()[i], c.variances()[i], c.peaks()[i], c.baselineWindows()[i]));
      t.lastSeenWindow = windowsSeen;
      clients.put(c.clientIds()[i], t);
    }
    announcedWarm = false;
  }
}
