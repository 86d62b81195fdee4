package io.bastion.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A request the admin API refuses, with the status and a message for the caller. */
final class HttpError extends RuntimeException {

  private final HttpResponseStatus status;

  HttpError(HttpResponseStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  HttpResponseStatus status() {
    return status;
  }

  static HttpError badRequest(String message) {
    return new HttpError(HttpResponseStatus.BAD_REQUEST, message);
  }

  static HttpError notFound(String message) {
    return new HttpError(HttpResponseStatus.NOT_FOUND, message);
  }
}
