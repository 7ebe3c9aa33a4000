/**
 * Mesos' RecordIO framing ({@code <decimal length>\n<bytes>}) for the streaming HTTP APIs
 * (scheduler, executor and operator {@code SUBSCRIBE}). The decoder is a small incremental state
 * machine that copies each record once and keeps no more than one record in memory, so it can sit
 * behind any chunked transport (a Netty handler, a blocking stream); it bounds record size and
 * length-line length so a broken or hostile peer cannot make it allocate without limit.
 */
package io.jmesos.recordio;
