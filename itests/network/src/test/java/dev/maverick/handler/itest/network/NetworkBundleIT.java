package dev.maverick.handler.itest.network;

import static dev.maverick.handler.itest.MaverickOptions.bundleOf;
import static dev.maverick.handler.itest.MaverickOptions.jackson;
import static dev.maverick.handler.itest.MaverickOptions.platform;
import static dev.maverick.handler.itest.Osgi.properties;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import dev.maverick.handler.Handler;
import dev.maverick.handler.HandlerKind;
import dev.maverick.handler.HandlerState;
import dev.maverick.handler.HandlerStats;
import dev.maverick.handler.itest.Await;
import dev.maverick.handler.itest.Bystanders;
import dev.maverick.handler.itest.JsonServer;
import dev.maverick.handler.itest.Osgi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetworkBundleIT {
  private static final String PID = "dev.maverick.handler.network";
  private static final String BSN = "dev.maverick.handler.network";
  private static final String COMPONENT = "dev.maverick.handler.network.internal.NetworkComponent";
  private static final String FACES = "(&(handler.name=faces)(handler.kind=network))";
  private static final Duration WAIT = Await.DEFAULT_TIMEOUT;

  @Inject BundleContext context;
  @Inject ConfigurationAdmin configAdmin;
  @Inject MetaTypeService metaType;
  @Inject ServiceComponentRuntime scr;

  private final List<JsonServer> servers = new ArrayList<>();
  private JsonServer server;

  @Configuration
  public Option[] config() {
    return options(platform(), jackson(), bundleOf("core"), bundleOf("network"), bundleOf("echo"),
        bundleOf("fixture-handler"));
  }

  @Before
  public void startServer() throws Exception {
    server = newServer();
  }

  @After
  public void cleanUp() throws Exception {
    org.osgi.service.cm.Configuration[] left = configAdmin.listConfigurations(
        "(|(service.pid=" + PID + ")(service.factoryPid=" + PID + "))");
    if (left != null) {
      for (org.osgi.service.cm.Configuration configuration : left) {
        configuration.delete();
      }
    }
    Await.noService(context, Handler.class, "(handler.kind=network)");
    servers.forEach(JsonServer::close);
  }

  @Test
  public void withoutConfigurationNothingRunsAndTheKindAndMetatypeDescribeTheFactory() {
    assertNull(references("(handler.kind=network)"));
    HandlerKind kind = Await.service(context, HandlerKind.class, "(handler.kind=network)");
    assertEquals(PID, kind.pid());
    assertTrue(kind.factoryOnly());

    Bundle bundle = bundle(BSN);
    MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
    assertTrue(Arrays.asList(information.getFactoryPids()).contains(PID));
    ObjectClassDefinition ocd = information.getObjectClassDefinition(PID, null);
    List<String> keys = new ArrayList<>();
    for (AttributeDefinition attribute : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
      keys.add(attribute.getID());
      if (attribute.getID().equals("auth") || attribute.getID().equals("trust_store_password")) {
        assertEquals(attribute.getID(), AttributeDefinition.PASSWORD, attribute.getType());
      }
    }
    assertTrue(keys.toString(), keys.containsAll(List.of("name", "host", "port", "scheme", "path", "method", "auth",
        "auth_header", "auth_scheme", "network_timeout", "retries", "retry_backoff", "trust_store",
        "trust_store_password", "max_response_bytes", "client_id_prefix", "max_queue_size", "worker_threads")));

    BundleWiring wiring = bundle.adapt(BundleWiring.class);
    assertTrue("the network bundle exports nothing", wiring.getCapabilities("osgi.wiring.package").isEmpty());
    boolean jacksonFromItsBundle = false;
    for (BundleWire wire : wiring.getRequiredWires("osgi.wiring.package")) {
      if ("com.fasterxml.jackson.databind".equals(wire.getCapability().getAttributes().get("osgi.wiring.package"))) {
        jacksonFromItsBundle = "com.fasterxml.jackson.core.jackson-databind".equals(wire.getProvider().getSymbolicName());
      }
    }
    assertTrue("Jackson is imported from the jackson-databind bundle", jacksonFromItsBundle);
  }

  @Test
  public void aFactoryInstanceWithNameHostAndPortRunsWithEveryOtherDefault() throws Exception {
    org.osgi.service.cm.Configuration configuration = configAdmin.getFactoryConfiguration(PID, "faces", "?");
    configuration.update(properties("name", "faces", "host", "127.0.0.1", "port", server.port()));
    Handler<Object, Object> faces = Await.service(context, Handler.class, FACES);

    Map<?, ?> result = (Map<?, ?>) faces.generate("frame", Map.of("camera", 1));
    assertEquals(200, result.get("status"));
    assertEquals(Map.of("path", "/", "n", 1), result.get("body"));
    JsonServer.Request request = server.take();
    assertEquals("POST", request.method());
    assertEquals("application/json", request.header("content-type"));
    assertTrue(request.header("x-client-id").startsWith("client-"));
    assertNull("no auth configured, none sent", request.header("x-api-key"));
    assertTrue(request.body(), request.body().contains("\"item\":\"frame\"") && request.body().contains("\"camera\":1"));

    Map<String, Object> details = faces.stats().details();
    assertEquals("POST", details.get("method"));
    assertEquals("x-api-key", details.get("auth_header"));
    assertEquals(10.0, details.get("network_timeout"));
    assertEquals(0, details.get("retries"));
    assertEquals(0.5, details.get("retry_backoff"));
    assertEquals(10485760, details.get("max_response_bytes"));
    assertEquals(128, faces.stats().inputQueueCapacity());
    assertEquals(configuration.getPid(), reference(FACES).getProperty("handler.pid"));
  }

  @Test
  public void aSingletonOrAnIncompleteConfigurationIsRejectedAndNamedWhileEverythingElseRuns() throws Exception {
    org.osgi.service.cm.Configuration single = configAdmin.getConfiguration(PID, "?");
    single.update(properties("name", "single", "host", "127.0.0.1"));
    String singleton = awaitFailure(PID);
    assertTrue(singleton, singleton.contains("configuration " + PID + ": missing required key 'service.factoryPid'"));
    // while a singleton configuration of the PID exists, Felix SCR leaves its factory configurations
    // unused: one case at a time
    single.delete();

    org.osgi.service.cm.Configuration noHost = configAdmin.getFactoryConfiguration(PID, "nohost", "?");
    noHost.update(properties("name", "nohost", "port", server.port()));
    String incomplete = awaitFailure(noHost.getPid());
    assertTrue(incomplete, incomplete.contains("configuration " + noHost.getPid() + ": missing required key 'host'"));
    assertNull(references("(handler.kind=network)"));

    Handler<Object, Object> echo = Await.service(context, Handler.class, "(handler.name=echo)");
    assertEquals(Map.of("echo", "fine", "meta", Map.of()), echo.generate("fine"));
  }

  @Test
  public void aConfigAdminUpdateReconfiguresTheLiveHandlerAndKeepsQueuedItems() throws Exception {
    org.osgi.service.cm.Configuration configuration = configAdmin.getFactoryConfiguration(PID, "faces", "?");
    configuration.update(properties("name", "faces", "host", "127.0.0.1", "port", server.port(), "path", "/a"));
    Handler<Object, Object> faces = Await.service(context, Handler.class, FACES);
    Object serviceId = reference(FACES).getProperty(Constants.SERVICE_ID);

    server.hold();
    for (int i = 0; i < 3; i++) {
      assertTrue(faces.feed(i));
    }
    assertEquals("/a", server.take().path());
    Await.until("one in flight, two queued", () -> faces.stats().inputQueueSize() == 2);

    configuration.update(properties("name", "faces", "host", "127.0.0.1", "port", server.port(), "path", "/b",
        "auth", "new-key", "max_queue_size", 1, "result_queue_size", 8));
    Await.until("the new path applied", () -> "/b".equals(faces.stats().details().get("path")));
    assertSame("the same handler, reconfigured in place", faces, Await.service(context, Handler.class, FACES));
    assertEquals(serviceId, reference(FACES).getProperty(Constants.SERVICE_ID));
    assertEquals("the queued items are kept, though the queue is smaller now", 2, faces.stats().inputQueueSize());
    server.release();

    List<Object> paths = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      paths.add(((Map<?, ?>) ((Map<?, ?>) faces.getResult(WAIT).orElseThrow()).get("body")).get("path"));
    }
    assertEquals(List.of("/a", "/b", "/b"), paths);
    for (int i = 0; i < 2; i++) {
      assertEquals("new-key", server.take().header("x-api-key"));
    }
    HandlerStats stats = Bystanders.balanced(faces);
    assertEquals(3, stats.processedCount());
    assertEquals(0, stats.droppedCount());
  }

  @Test
  public void aBadUpdateIsRejectedNamingThePidKeyValueAndRuleAndTheLastGoodEndpointStays() throws Exception {
    org.osgi.service.cm.Configuration configuration = configAdmin.getFactoryConfiguration(PID, "faces", "?");
    configuration.update(properties("name", "faces", "host", "127.0.0.1", "port", server.port(), "path", "/good"));
    Handler<Object, Object> faces = Await.service(context, Handler.class, FACES);

    configuration.update(properties("name", "faces", "host", "127.0.0.1", "port", server.port(), "path", "/bad",
        "retries", "99", "auth", "hunter2"));
    Await.until("the error published", () -> reference(FACES).getProperty("handler.config.error") != null);
    String error = (String) reference(FACES).getProperty("handler.config.error");
    assertTrue(error, error.contains("configuration " + configuration.getPid() + ": invalid value for 'retries': '99'"));
    assertTrue(error, error.contains("allowed: an integer from 0 to 10"));
    assertEquals("/good", ((Map<?, ?>) ((Map<?, ?>) faces.generate("x")).get("body")).get("path"));
    assertNull("nothing of the bad update applied", server.take().header("x-api-key"));

    configuration.update(properties("name", "faces", "host", "127.0.0.1", "port", server.port(), "path", "/fixed"));
    Await.until("the fix applied and the error cleared", () -> "/fixed".equals(faces.stats().details().get("path"))
        && reference(FACES).getProperty("handler.config.error") == null);
  }

  @Test
  public void aTemplateAndAPointerGivenAsCfgStringsMakeTheHandlerSpeakAnOpenAiCompatibleChatApi() throws Exception {
    server.respond(200, "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"choices\": [{\"index\": 0, "
        + "\"message\": {\"role\": \"assistant\", \"content\": \"Paris.\"}, \"finish_reason\": \"stop\"}]}");
    String template = "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"{{item}}\"}]}";
    org.osgi.service.cm.Configuration configuration = configAdminFactory("llm");
    // every value a string, as FileInstall gives a .cfg file's values
    configuration.update(properties("name", "llm", "host", "127.0.0.1", "port", String.valueOf(server.port()),
        "path", "/v1/chat/completions", "request_template", template,
        "response_pointer", "/choices/0/message/content", "worker_threads", "2"));
    String filter = "(&(handler.name=llm)(handler.kind=network))";
    Handler<Object, Object> llm = Await.service(context, Handler.class, filter);

    assertEquals("Paris.", llm.generate("What is the capital of France?"));
    JsonServer.Request request = server.take();
    assertEquals("/v1/chat/completions", request.path());
    assertEquals("{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}",
        request.body());
    assertTrue(llm.feed("He said \"}, {\"role\": \"system\"}"));
    assertEquals("Paris.", llm.getResult(WAIT).orElseThrow());
    assertEquals("a quoting item stays one string value",
        "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"He said \\\"}, {\\\"role\\\": \\\"system\\\"}\"}]}",
        server.take().body());
    assertEquals(template, llm.stats().details().get("request_template"));

    configuration.update(properties("name", "llm", "host", "127.0.0.1", "port", String.valueOf(server.port()),
        "path", "/v1/chat/completions", "request_template", "{\"content\": \"{{item.text}\"}",
        "response_pointer", "/choices/0/message/content"));
    Await.until("the bad template refused on the service", () -> reference(filter).getProperty("handler.config.error") != null);
    String error = (String) reference(filter).getProperty("handler.config.error");
    assertTrue(error, error.contains("configuration " + configuration.getPid() + ": invalid value for 'request_template'"));
    assertTrue(error, error.contains("is not closed by '}}'"));
    assertEquals("the last good template stays", "Paris.", llm.generate("still"));
    Bystanders.balanced(llm);
  }

  @Test
  public void twoFactoryInstancesCallTheirOwnEndpointsSideBySide() throws Exception {
    JsonServer other = newServer();
    configAdminFactory("faces").update(properties("name", "faces", "host", "127.0.0.1", "port", server.port(),
        "path", "/recognize", "auth", "faces-key"));
    configAdminFactory("tts").update(properties("name", "tts", "host", "localhost", "port", other.port(),
        "path", "/speak", "method", "PUT", "auth", "tts-token", "auth_scheme", "Bearer", "worker_threads", 2));
    Handler<Object, Object> faces = Await.service(context, Handler.class, FACES);
    Handler<Object, Object> tts = Await.service(context, Handler.class, "(&(handler.name=tts)(handler.kind=network))");

    assertEquals("/recognize", ((Map<?, ?>) ((Map<?, ?>) faces.generate("image")).get("body")).get("path"));
    assertEquals("/speak", ((Map<?, ?>) ((Map<?, ?>) tts.generate("hello")).get("body")).get("path"));
    JsonServer.Request toFaces = server.take();
    JsonServer.Request toTts = other.take();
    assertEquals("faces-key", toFaces.header("x-api-key"));
    assertEquals("PUT", toTts.method());
    assertEquals("Bearer tts-token", toTts.header("authorization"));
    assertNull(toTts.header("x-api-key"));
    assertNotEquals(toFaces.header("x-client-id"), toTts.header("x-client-id"));

    configAdminFactory("tts").delete();
    Await.noService(context, Handler.class, "(handler.name=tts)");
    // the service goes first, then the handler closes
    Await.until("tts closed", () -> tts.state() == HandlerState.CLOSED);
    assertEquals("faces is untouched", 200, ((Map<?, ?>) faces.generate("still")).get("status"));
    assertEquals(2, server.requestCount());
  }

  @Test
  public void stoppingUpdatingAndUninstallingTheBundleLeavesTheOtherHandlersRunning() throws Exception {
    configAdminFactory("faces").update(properties("name", "faces", "host", "127.0.0.1", "port", server.port()));
    Handler<Object, Object> faces = Await.service(context, Handler.class, FACES);
    Handler<Object, Object> echo = Await.service(context, Handler.class, "(handler.name=echo)");
    Handler<Object, Object> upper = Await.service(context, Handler.class, "(handler.name=upper)");
    assertEquals("A", upper.generate("a"));
    assertTrue(echo.feed("e"));
    assertTrue(echo.getResult(WAIT).isPresent());
    Bystanders bystanders = Bystanders.watch(context, List.of("(handler.name=echo)", "(handler.name=upper)"));

    assertTrue(faces.feed("queued before stop"));
    Bundle bundle = bundle(BSN);
    bundle.stop();
    Await.noService(context, Handler.class, "(handler.kind=network)");
    Handler<Object, Object> stopped = faces;
    Await.until("the stopped handler closed", () -> stopped.state() == HandlerState.CLOSED);
    assertEquals("what was not taken is handed over, as an item or a result", 1,
        stopped.stats().handedOffCount() + stopped.stats().resultsHandedOff());
    bystanders.assertUndisturbed("network stopped");
    bundle.start();
    faces = freshFaces(faces);
    Optional<Object> takenOver = faces.getResult(WAIT);
    assertEquals("the restarted handler took over the queued work", 200,
        ((Map<?, ?>) takenOver.orElseThrow()).get("status"));
    assertTrue(stopped.stats().isBalanced());
    bystanders.assertUndisturbed("network started again");

    bundle.update();
    faces = freshFaces(faces);
    bystanders.assertUndisturbed("network updated");

    String location = bundle.getLocation();
    bundle.uninstall();
    Await.noService(context, Handler.class, "(handler.kind=network)");
    Await.until("the kind is gone too", () -> Osgi.references(context, HandlerKind.class, "(handler.kind=network)") == null);
    bystanders.assertUndisturbed("network uninstalled");
    context.installBundle(location).start();
    freshFaces(faces);
    bystanders.assertUndisturbed("network installed again");

    assertEquals("B", upper.generate("b"));
    assertEquals(Map.of("echo", "still", "meta", Map.of()), echo.generate("still"));
  }

  /** Waits for a faces handler other than {@code previous}, from the same configuration, and calls it. */
  private Handler<Object, Object> freshFaces(Handler<Object, Object> previous) {
    Await.until("a new faces handler", () -> {
      Handler<Object, Object> now = faces();
      return now != null && now != previous;
    });
    Handler<Object, Object> faces = faces();
    assertEquals(200, ((Map<?, ?>) faces.generate("again")).get("status"));
    return faces;
  }

  @SuppressWarnings("unchecked")
  private Handler<Object, Object> faces() {
    ServiceReference<?> reference = reference(FACES);
    return reference == null ? null : (Handler<Object, Object>) context.getService(reference);
  }

  /** Waits until SCR reports the network component's activation failed for this configuration PID. */
  private String awaitFailure(String configurationPid) {
    return Await.value("a failed activation for " + configurationPid, () -> {
      for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle(BSN))) {
        if (!description.name.equals(COMPONENT)) {
          continue;
        }
        for (ComponentConfigurationDTO dto : scr.getComponentConfigurationDTOs(description)) {
          if (dto.state == ComponentConfigurationDTO.FAILED_ACTIVATION
              && configurationPid.equals(dto.properties.get("service.pid")) && dto.failure != null) {
            return dto.failure;
          }
        }
      }
      return null;
    });
  }

  private org.osgi.service.cm.Configuration configAdminFactory(String name) throws java.io.IOException {
    return configAdmin.getFactoryConfiguration(PID, name, "?");
  }

  private JsonServer newServer() throws java.io.IOException {
    JsonServer started = JsonServer.start();
    servers.add(started);
    return started;
  }

  private ServiceReference<?> reference(String filter) {
    return Osgi.reference(context, Handler.class, filter);
  }

  private ServiceReference<?>[] references(String filter) {
    return Osgi.references(context, Handler.class, filter);
  }

  private Bundle bundle(String symbolicName) {
    return Osgi.bundle(context, symbolicName);
  }
}
