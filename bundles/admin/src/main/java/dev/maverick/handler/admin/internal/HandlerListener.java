package dev.maverick.handler.admin.internal;

/** Told when a handler service appears, changes its properties (a rename, a rejected change) or goes. */
interface HandlerListener {
  void added(HandlerEntry entry);

  void modified(HandlerEntry entry);

  void removed(HandlerEntry entry);
}
