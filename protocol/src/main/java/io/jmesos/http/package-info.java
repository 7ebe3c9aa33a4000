/**
 * HTTP, independent of Netty for its users: {@link io.jmesos.http.HttpRequest}, {@link io.jmesos.http.HttpResponse},
 * a {@link io.jmesos.http.HttpRouter}, the {@link io.jmesos.http.EventStream} behind the Mesos streaming APIs,
 * and a small Netty-based {@link io.jmesos.http.HttpClient} for the drivers and tests.
 */
package io.jmesos.http;
