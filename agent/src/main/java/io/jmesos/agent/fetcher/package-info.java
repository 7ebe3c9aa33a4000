/**
 * The fetcher: puts a container's {@code CommandInfo.uris} into its sandbox before the executor starts, as
 * Mesos' {@code mesos-fetcher} does: {@code http://}/{@code https://} downloads (redirects followed), local
 * paths and {@code file://} copies, archive extraction with the system {@code tar}, {@code unzip} and
 * {@code gunzip}, {@code executable} and {@code output_file}. Fetching blocks, so it runs on the agent's
 * blocking pool, never on the actor; its log lines are appended to the sandbox's {@code stderr}.
 */
package io.jmesos.agent.fetcher;
