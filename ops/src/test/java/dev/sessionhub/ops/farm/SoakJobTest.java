package dev.sessionhub.ops.farm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * How the soak compares two reads of one job: where they may differ because one side of a split cannot know, and
 * where a difference is a wrong answer.
 */
class SoakJobTest {

  /** A job over targets a, b, c in {@code state}, with the given result state per target ("" for none yet). */
  private static JsonObject read(String state, String a, String b, String c) {
    JsonArray results = new JsonArray();
    String[] states = {a, b, c};
    String[] addresses = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
      for (String one : states[i].isEmpty() ? new String[0] : states[i].split("\\+")) {
        results.add(new JsonObject().put("address", addresses[i]).put("state", one));
      }
    }
    return new JsonObject().put("state", state).put("targets", new JsonArray().add("a").add("b").add("c"))
        .put("results", results);
  }

  @Test
  void aCutOffOwnerMayKnowWhatTheCoordinatorReadsUnknown() {
    // CI, seed 21: hub 2 cut off 8 ms after a broadcast through hub 3 began; hub 3 read hub 2's targets unknown
    // and the job done, while hub 2 read them ok and the rest still pending
    JsonObject coordinator = read("done", "ok", "unknown", "unknown");
    JsonObject cutOffOwner = read("running", "", "ok", "ok");
    assertTrue(SoakJob.unsureWhereTheyDiffer(cutOffOwner, coordinator));
    assertTrue(SoakJob.unsureWhereTheyDiffer(read("done", "unknown", "ok", "unknown"), coordinator));
  }

  @Test
  void twoOutcomesThatContradictEachOtherNeverPass() {
    JsonObject coordinator = read("done", "ok", "unknown", "ok");
    assertFalse(SoakJob.unsureWhereTheyDiffer(read("done", "timeout", "unknown", "ok"), coordinator));
    assertFalse(SoakJob.unsureWhereTheyDiffer(read("running", "", "ok+ok", ""), coordinator));
    assertFalse(SoakJob.unsureWhereTheyDiffer(read("done", "ok", "ok", "unreachable"), coordinator));
  }

  @Test
  void otherTargetsNeverPass() {
    JsonObject coordinator = read("done", "ok", "ok", "ok");
    JsonObject fewer = read("done", "ok", "ok", "ok").put("targets", new JsonArray().add("a").add("b"));
    assertFalse(SoakJob.unsureWhereTheyDiffer(fewer, coordinator));
  }
}
