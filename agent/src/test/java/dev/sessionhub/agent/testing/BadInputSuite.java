package dev.sessionhub.agent.testing;

import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of hostile inputs against one running server. Each case sends something broken and states the typed
 * answer it must get: an XML-RPC fault with a {@link FaultCode}, an HTTP status, or the connection closed. After
 * every case a normal authenticated call must still succeed. {@link #run()} runs the whole table (a failing case
 * does not stop the others), prints one line per case and a summary such as {@code bad-input[agent]: 46 cases,
 * 46 answered as expected}, and fails listing every case that did not hold.
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

  /** The outcome of a run: how many cases, how many held, and why the others did not. */
  public record Report(String label, int cases, int asExpected, List<String> failures) {
    public String summary() {
      return "bad-input[" + label + "]: " + cases + " cases, " + asExpected + " answered as expected";
    }
  }

  private record Case(String name, Expect expect, Probe probe) {
  }

  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();

  private final String label;
  private final HealthCheck health;
  private final List<Case> cases = new ArrayList<>();

  public BadInputSuite(String label, HealthCheck health) {
    this.label = label;
    this.health = health;
  }

  public BadInputSuite add(String name, Expect expect, Probe probe) {
    cases.add(new Case(name, expect, probe));
    return this;
  }

  public int size() {
    return cases.size();
  }

  /** Runs every case, then the health check; prints the table and the summary. */
  public Report run() {
    List<String> failures = new ArrayList<>();
    int ok = 0;
    for (Case c : cases) {
      String problem;
      Wire.Answer answer = null;
      try {
        answer = c.probe().send();
        problem = c.expect().mismatch(answer);
      } catch (Exception | AssertionError e) {
        problem = "probe failed: " + e;
      }
      if (problem == null) {
        try {
          health.check();
        } catch (Exception | AssertionError e) {
          problem = "answered as expected, but a normal call failed afterwards: " + e;
        }
      }
      if (problem == null) {
        ok++;
      } else {
        failures.add(c.name() + ": " + problem);
      }
      System.out.printf("bad-input[%s] %-4s %-44s expect %-32s got %s%n", label, problem == null ? "ok" : "FAIL",
          c.name(), c.expect().describe(), answer == null ? "-" : shortly(answer));
    }
    Report report = new Report(label, cases.size(), ok, failures);
    System.out.println(report.summary());
    return report;
  }

  /** Runs the table and fails with every case that did not hold. */
  public Report runAndAssert() {
    Report report = run();
    if (!report.failures().isEmpty()) {
      throw new AssertionError(report.summary() + "\n  " + String.join("\n  ", report.failures()));
    }
    return report;
  }

  private static String shortly(Wire.Answer a) {
    String s = a.toString().replace('\n', ' ').replace('\r', ' ');
    return s.length() > 140 ? s.substring(0, 140) + "…" : s;
  }
}
