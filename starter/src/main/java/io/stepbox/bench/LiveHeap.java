package io.stepbox.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap still in use right after a garbage collection (what the work kept live), over the
 * collections from {@link #reset()} on. How much garbage piles up before a collection is the
 * collector's choice, sized by the heap it may use (a quarter of the machine's memory by default),
 * not a need of the work: that is {@link #peakAllocatedMb()}.
 */
final class LiveHeap implements NotificationListener, AutoCloseable {
  private final AtomicLong peak = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final Set<String> heapPools =
      heapPools().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

  LiveHeap() {
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(this, null, null);
        emitters.add(e);
      }
    }
  }

  @Override
  public void handleNotification(Notification n, Object handback) {
    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
      return;
    }
    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used =
        info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
            .filter(e -> heapPools.contains(e.getKey()))
            .mapToLong(e -> e.getValue().getUsed())
            .sum();
    peak.accumulateAndGet(used, Math::max);
  }

  void reset() {
    peak.set(0);
  }

  /** The peak, counting a last collection now: what is still held counts too. */
  long peakMb() {
    System.gc();
    long now = heapPools().mapToLong(p -> p.getUsage().getUsed()).sum();
    return Math.max(peak.get(), now) >> 20;
  }

  /** Collects the garbage and restarts every pool's peak: {@link #peakAllocatedMb()} from now. */
  static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The sum of the heap pools' peaks: what was in use, garbage not yet collected included. */
  static long peakAllocatedMb() {
    return heapPools().mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
  }

  private static Stream<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP);
  }

  @Override
  public void close() {
    for (var e : emitters) {
      try {
        e.removeNotificationListener(this);
      } catch (ListenerNotFoundException ignored) {
        // not registered: nothing to remove
      }
    }
  }
}
