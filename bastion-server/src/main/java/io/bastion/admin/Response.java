package io.bastion.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

/** What an admin route answers: a status, a content type and a body. */
record Response(HttpResponseStatus status, String contentType, byte[] body) {

  static final String JSON = "application/json";
}
