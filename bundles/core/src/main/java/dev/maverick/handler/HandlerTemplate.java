package dev.maverick.handler;

import dev.maverick.handler.internal.Hook;
import dev.maverick.handler.internal.Subclass;
import dev.maverick.handler.internal.Types;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A handler's template methods and hooks as the core's parts call them ({@link Subclass}): each
 * hook contained in one place. In this package, not a public type, so that it can call the
 * protected methods a subclass overrides.
 *
 * @param <I> the item type
 * @param <R> the result type
 */
final class HandlerTemplate<I, R> implements Subclass {
  private final ArchitectureHandler<I, R> handler;

  HandlerTemplate(ArchitectureHandler<I, R> handler) {
    this.handler = handler;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object preprocess(Object item, Map<String, ?> extra) {
    return handler.preprocessItem((I) item, extra);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object generate(Object item, Map<String, ?> extra) {
    return handler.generateResults((I) item, extra);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object postprocess(Object item, Map<String, ?> extra, Object result) {
    return handler.postprocessResult((I) item, extra, (R) result);
  }

  @Override
  @SuppressWarnings("unchecked")
  public InvalidItemException check(Object item, Map<String, ?> extra) {
    try {
      if (handler.validateItem((I) item, extra)) {
        return null;
      }
      return new InvalidItemException("handler '" + handler.name() + "': "
          + Types.mismatch(handler.config().expectedTypes(), item));
    } catch (InvalidItemException e) {
      return e;
    } catch (RuntimeException e) {
      return new InvalidItemException("handler '" + handler.name() + "': validateItem failed: " + e, e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<?> generateAsync(Object item, Map<String, ?> extra) {
    return handler.generateResultsAsync((I) item, extra);
  }

  @Override
  public boolean finishesOffWorker() {
    return Types.overrides(handler.getClass(), ArchitectureHandler.class, "generateResultsAsync", 2);
  }

  @Override
  public boolean observesEachItem() {
    Class<?> type = handler.getClass();
    return Types.overrides(type, ArchitectureHandler.class, "hookBeforeGenerate", 2)
        || Types.overrides(type, ArchitectureHandler.class, "hookAfterGenerate", 3)
        || Types.overrides(type, ArchitectureHandler.class, "hookOnError", 3);
  }

  @Override
  public int maxAsyncInFlight() {
    return handler.maxAsyncInFlight();
  }

  @Override
  public void startUp() {
    handler.startUp();
  }

  /**
   * The one place a hook's failure is contained. The hooks of every item and result come first,
   * as identity tests: where this is inlined with a constant hook, the JIT keeps only its branch.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Object fire(Hook hook, Object a, Object b, Object c) {
    try {
      if (hook == Hook.BEFORE_FEED) {
        handler.hookBeforeFeed((I) a, (Map<String, ?>) b);
      } else if (hook == Hook.AFTER_FEED) {
        handler.hookAfterFeed((I) a, (Map<String, ?>) b, (Boolean) c);
      } else if (hook == Hook.BEFORE_GENERATE) {
        handler.hookBeforeGenerate((I) a, (Map<String, ?>) b);
      } else if (hook == Hook.AFTER_GENERATE) {
        handler.hookAfterGenerate((I) a, (Map<String, ?>) b, (R) c);
      } else if (hook == Hook.RESULT_SETTLED) {
        handler.hookResultSettled((R) a, (Map<String, ?>) b);
      } else if (hook == Hook.AFTER_RESULT) {
        handler.hookAfterResult((R) a);
      } else {
        return fireOther(hook, a, b, c);
      }
    } catch (Throwable error) {
      handler.diagnostics().hookFailed(hook.method(), error);
    }
    return null;
  }

  /** The other hooks; what they throw is contained by {@link #fire}. */
  @SuppressWarnings("unchecked")
  private Object fireOther(Hook hook, Object a, Object b, Object c) {
    switch (hook) {
      case ON_ERROR -> handler.hookOnError((I) a, (Map<String, ?>) b, (Throwable) c);
      case ON_FAILURE -> ((Consumer<Throwable>) a).accept((Throwable) b);
      case UPSTREAM -> ((Runnable) a).run();
      case ON_CALLBACK_ERROR -> handler.hookOnCallbackError((R) a, (Map<String, ?>) b, (Throwable) c);
      case BEFORE_NETWORK_CALL -> handler.hookBeforeNetworkCall(a);
      case AFTER_NETWORK_CALL -> handler.hookAfterNetworkCall(a, b);
      case NETWORK_ERROR -> handler.hookNetworkError(a, (Throwable) b);
      case SHUT_DOWN -> handler.shutDown();
      case AFTER_WORKERS_STOPPED -> handler.afterWorkersStopped();
      case AFTER_CLOSE -> handler.afterClose();
      case CONFIGURATION_CHANGED -> handler.configurationChanged((HandlerConfig) a, (HandlerConfig) b);
      case STATS_DETAILS -> {
        return handler.statsDetails();
      }
      default -> throw new AssertionError(hook);
    }
    return null;
  }
}
