package io.stepbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachineCpuTest {
  @Test
  void busyCountsUserNiceSystemIrqAndSoftirqButNotIdleIowaitOrSteal() {
    MachineCpu c = MachineCpu.parse("cpu  1000 20 300 9999 777 4 6 50 0 0");
    assertEquals((1000 + 20 + 300 + 4 + 6) * 10, c.busyMs());
    assertEquals(500, c.stealMs());
  }

  @Test
  void aPhaseIsTheDifferenceOfTwoReadings() {
    MachineCpu before = MachineCpu.parse("cpu 100 0 50 1000 0 0 0 3");
    MachineCpu after = MachineCpu.parse("cpu 160 0 90 1100 0 0 0 5");
    assertEquals(new MachineCpu(1000, 20), after.since(before));
  }

  @Test
  void readsThisMachine() {
    MachineCpu now = MachineCpu.now();
    assertNotNull(now, "/proc/stat should be readable on the Linux hosts stepbox runs on");
    assertTrue(now.busyMs() > 0);
  }
}
