package dev.sessionhub.ops.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The fault farm of one test class ({@code @ExtendWith(FaultFarmExtension.class)}): {@link FaultFarm#start} in a
 * directory of its own before the class's first test, handed to every test method that takes a {@link FaultFarm}
 * parameter, and closed (its programs' logs kept under {@code target/farm-logs}) after the last. The one place the
 * farm ITs set up and tear down; a class that breaks the farm on purpose has it to itself.
 */
public final class FaultFarmExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FaultFarm.class);

  private record Started(Path dir, FaultFarm farm) {
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dir = Files.createTempDirectory("fault-farm-");
    try {
      context.getStore(NAMESPACE).put(FaultFarm.class, new Started(dir, FaultFarm.start(dir)));
    } catch (Exception | Error e) {
      delete(dir);
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    Started started = context.getStore(NAMESPACE).remove(FaultFarm.class, Started.class);
    if (started != null) {
      try {
        started.farm().close();
      } finally {
        delete(started.dir());
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == FaultFarm.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(FaultFarm.class, Started.class).farm();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
