/**
 * Authorization as Mesos 1.11's local authorizer: {@link io.jmesos.security.authz.Authorizer} answers whether a
 * subject (an authenticated principal, or none) may perform an {@link io.jmesos.security.authz.Action} on an
 * {@link io.jmesos.security.authz.AuthorizationObject}; {@link io.jmesos.security.authz.LocalAuthorizer} decides
 * with the {@code --acls} (Mesos' {@code ACLs} message, generated from {@code mesos/authorizer/acls.proto} into
 * {@code io.jmesos.protocol.authorizer}), first matching entry wins, {@code permissive} otherwise;
 * {@link io.jmesos.security.authz.Authorizers} builds it from the daemons' flags. Deciding is pure and fast, so
 * the master and the agent ask on their actor (or an I/O thread) without deferring, unlike Mesos' futures.
 */
package io.jmesos.security.authz;
