package dev.sessionhub.agent.testing;

import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * A table of hostile inputs against one running server. Each case sends something broken and states the typed
 * answer it must get: an XML-RPC fault with a {@link FaultCode}, an HTTP status, or the connection closed. After
 * every case a normal authenticated call must still succeed. {@link #tests()} turns the table into one JUnit
 * dynamic test per case, named after the case, for a {@code @TestFactory}: each case passes or fails on its own,
 * and no case relies on another having run before it (probes read the server's current port and token when they
 * send). Each case also prints one line; {@link #summary()} says how many held, e.g. {@code bad-input[agent java]:
 * 46 cases, 46 answered as expected}.
 */
public final class BadInputSuite {

  /** Sends the bad input; returns what came back. May also assert (an AssertionError fails the case). */
  @FunctionalInterface
  public interface Probe {
    Wire.Answer send() throws Exception;
  }

  /** A normal authenticated call; throws if the server no longer serves properly. */
  @FunctionalInterface
  public interface HealthCheck {
    void check() throws Exception;
  }

  /** The answer a case must get; {@link #mismatch} says why an answer is not it, or null when it is. */
  public interface Expect {
    String mismatch(Wire.Answer answer);

    String describe();

    /** An HTTP 200 carrying an XML-RPC fault with {@code code} (and, if given, text in its faultString). */
    static Expect fault(FaultCode code, String... textParts) {
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          if (a.status() != 200) {
            return "expected a fault, got " + a;
          }
          XmlRpcResponse r;
          try {
            r = CODEC.decodeResponse(a.body());
          } catch (RuntimeException | dev.sessionhub.shared.xmlrpc.XmlRpcCodecException e) {
            return "the answer is not an XML-RPC response (" + e.getMessage() + "): " + a;
          }
          if (!r.isFault()) {
            return "expected fault " + code.code() + ", got value " + r.value();
          }
          if (r.fault().code() != code.code()) {
            return "expected fault " + code.code() + ", got " + r.fault().code() + " " + r.fault().message();
          }
          for (String part : textParts) {
            if (!r.fault().message().contains(part)) {
              return "fault '" + r.fault().message() + "' does not mention '" + part + "'";
            }
          }
          return null;
        }

        @Override
        public String describe() {
          return "fault " + code.code() + " " + code;
        }
      };
    }

    /** An HTTP 200 carrying an XML-RPC value equal to {@code expected} (not a fault). */
    static Expect value(Object expected) {
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          if (a.status() != 200) {
            return "expected the value " + expected + ", got " + a;
          }
          try {
            XmlRpcResponse r = CODEC.decodeResponse(a.body());
            return !r.isFault() && java.util.Objects.equals(expected, r.value()) ? null
                : "expected the value " + expected + ", got " + (r.isFault() ? r.fault() : r.value());
          } catch (RuntimeException | dev.sessionhub.shared.xmlrpc.XmlRpcCodecException e) {
            return "the answer is not an XML-RPC response (" + e.getMessage() + "): " + a;
          }
        }

        @Override
        public String describe() {
          return "value " + expected;
        }
      };
    }

    /** A JSON error answer of a REST API: {@code status} with {@code {"error": error, ...}}. */
    static Expect apiError(int status, String error) {
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          if (a.status() != status) {
            return "expected HTTP " + status + " " + error + ", got " + a;
          }
          try {
            String got = new io.vertx.core.json.JsonObject(a.text()).getString("error");
            return error.equals(got) ? null : "expected error '" + error + "', got " + a;
          } catch (RuntimeException e) {
            return "expected a JSON error body, got " + a;
          }
        }

        @Override
        public String describe() {
          return "HTTP " + status + " " + error;
        }
      };
    }

    /** An HTTP answer with one of {@code statuses}. */
    static Expect status(int... statuses) {
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          return Arrays.stream(statuses).anyMatch(s -> s == a.status()) ? null
              : "expected HTTP " + Arrays.toString(statuses) + ", got " + a;
        }

        @Override
        public String describe() {
          return "HTTP " + Arrays.toString(statuses);
        }
      };
    }

    /** The connection closed by the server (or an HTTP refusal with one of {@code orStatuses}). */
    static Expect closed(int... orStatuses) {
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          if (a.closedWithoutResponse() || Arrays.stream(orStatuses).anyMatch(s -> s == a.status())) {
            return null;
          }
          return "expected the server to close" + (orStatuses.length == 0 ? "" : " or answer "
              + Arrays.toString(orStatuses)) + ", got " + a;
        }

        @Override
        public String describe() {
          return "closed" + (orStatuses.length == 0 ? "" : " or HTTP " + Arrays.toString(orStatuses));
        }
      };
    }

    /** This expectation, and the answer's body contains {@code text}. */
    default Expect mentioning(String text) {
      Expect self = this;
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          String m = self.mismatch(a);
          return m != null ? m : a.text().contains(text) ? null : "answered, but without '" + text + "': " + a;
        }

        @Override
        public String describe() {
          return self.describe() + " mentioning '" + text + "'";
        }
      };
    }

    /** This expectation, and the answer arrived within {@code maxMillis}. */
    default Expect within(long maxMillis) {
      Expect self = this;
      return new Expect() {
        @Override
        public String mismatch(Wire.Answer a) {
          String m = self.mismatch(a);
          return m != null ? m : a.millis() > maxMillis ? "answered, but after " + a.millis() + " ms (limit "
              + maxMillis + " ms)" : null;
        }

        @Override
        public String describe() {
          return self.describe() + " within " + maxMillis + " ms";
        }
      };
    }
  }

  private record Case(String name, Expect expect, Probe probe) {
  }

  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();

  private final String label;
  private final HealthCheck health;
  private final Map<String, Case> cases = new LinkedHashMap<>();
  private final AtomicInteger run = new AtomicInteger();
  private final AtomicInteger asExpected = new AtomicInteger();

  public BadInputSuite(String label, HealthCheck health) {
    this.label = label;
    this.health = health;
  }

  /** Adds a case; its name is the dynamic test's display name, so names are unique. */
  public BadInputSuite add(String name, Expect expect, Probe probe) {
    if (cases.putIfAbsent(name, new Case(name, expect, probe)) != null) {
      throw new IllegalArgumentException("two bad-input cases named '" + name + "'");
    }
    return this;
  }

  public int size() {
    return cases.size();
  }

  /** One dynamic test per case: send the input, check the answer, then the health check. */
  public Stream<DynamicTest> tests() {
    return List.copyOf(cases.values()).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
  }

  /** How many cases there are, and how many of those run so far held. */
  public String summary() {
    int ran = run.get();
    return "bad-input[" + label + "]: " + cases.size() + " cases, " + asExpected.get() + " answered as expected"
        + (ran == cases.size() ? "" : " (" + ran + " run)");
  }

  private void check(Case c) {
    run.incrementAndGet();
    Wire.Answer answer = null;
    String problem;
    Throwable cause = null;
    try {
      answer = c.probe().send();
      problem = c.expect().mismatch(answer);
    } catch (Exception | AssertionError e) {
      problem = "probe failed: " + e;
      cause = e;
    }
    if (problem == null) {
      try {
        health.check();
      } catch (Exception | AssertionError e) {
        problem = "answered as expected, but a normal call failed afterwards: " + e;
        cause = e;
      }
    }
    System.out.printf("bad-input[%s] %-4s %-44s expect %-32s got %s%n", label, problem == null ? "ok" : "FAIL",
        c.name(), c.expect().describe(), answer == null ? "-" : shortly(answer));
    if (problem != null) {
      throw new AssertionError(c.name() + ": " + problem, cause);
    }
    asExpected.incrementAndGet();
  }

  private static String shortly(Wire.Answer a) {
    String s = a.toString().replace('\n', ' ').replace('\r', ' ');
    return s.length() > 140 ? s.substring(0, 140) + "…" : s;
  }
}
