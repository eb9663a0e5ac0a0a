package dev.sessionhub.agent;

import dev.sessionhub.agent.testing.AgentUnderTest;
import dev.sessionhub.agent.testing.PythonAgentUnderTest;
import dev.sessionhub.agent.testing.PythonInterpreter;
import org.junit.jupiter.api.Nested;

/**
 * The cancel suite, unchanged, against the Python agent in a child process (python3 and CPython 2.7). Its test
 * host is a plain Python program, which interrupts a running command (CPython's async exception, as at a time
 * limit): a running command's cancel answers "interrupted" there, as the Java agent's does. A host that cannot
 * interrupt answers "running" (test_host_adapters.py covers that one).
 */
class PythonAgentCancelTest {

  @Nested
  class UnderPython3 extends AgentCancelTest {
    @Override
    protected AgentUnderTest.Factory implementation() {
      PythonInterpreter python = PythonInterpreter.python3().require();
      return options -> PythonAgentUnderTest.start(python, options);
    }
  }

  @Nested
  class UnderCPython27 extends AgentCancelTest {
    @Override
    protected AgentUnderTest.Factory implementation() {
      PythonInterpreter python = PythonInterpreter.cpython27().require();
      return options -> PythonAgentUnderTest.start(python, options);
    }
  }
}
