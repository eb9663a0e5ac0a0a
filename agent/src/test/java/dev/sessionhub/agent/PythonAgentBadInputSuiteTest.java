package dev.sessionhub.agent;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.PythonAgentUnderTest;
import dev.sessionhub.agent.testing.PythonInterpreter;
import org.junit.jupiter.api.Nested;

/**
 * The agent's bad-input suite, unchanged, against the Python agent in a child process (python3 and CPython 2.7):
 * every case answered as the Java agent answers it, a normal call served after each, and the child process back
 * near its baseline of threads, descriptors and resident memory at the end.
 */
class PythonAgentBadInputSuiteTest {

  @Nested
  class UnderPython3 extends AgentBadInputSuiteTest {
    @Override
    protected AgentUnderTest.Factory implementation() {
      PythonInterpreter python = PythonInterpreter.python3().require();
      return options -> PythonAgentUnderTest.start(python, options);
    }
  }

  @Nested
  class UnderCPython27 extends AgentBadInputSuiteTest {
    @Override
    protected AgentUnderTest.Factory implementation() {
      PythonInterpreter python = PythonInterpreter.cpython27().require();
      return options -> PythonAgentUnderTest.start(python, options);
    }
  }
}
