/**
 * Typed command-line flags for the daemons and tools, compatible with Mesos' stout flags: the same
 * names, {@code --name=value} / {@code --[no-]name} syntax, {@code MESOS_NAME} environment
 * variables (the command line wins), Mesos' duration ({@code 5secs}) and size ({@code 512MB})
 * syntax, and Mesos' error wording ({@code Failed to load unknown flag 'foo'}).
 *
 * <p>Each component declares its flags in one class beside it; the {@code --help} text and the
 * Markdown table generated from those declarations are the configuration reference in
 * {@code docs/}. Values are read through the declaring {@link io.jmesos.flags.Flag}, so a typo is
 * a compile error and no code reads {@code System.getProperty} or the environment directly.
 *
 * <pre>{@code
 * public final class MasterFlags extends Flags {
 *   public final Flag<Integer> port = add(Flag.integer("port").defaultValue(5050)
 *       .help("Port to listen on")
 *       .validator(p -> p > 0 && p < 65536 ? Optional.empty() : Optional.of("not a port")));
 *   public final Flag<Duration> offerTimeout = add(Flag.duration("offer_timeout")
 *       .help("Duration after which an outstanding offer is rescinded"));
 *   public final Flag<String> workDir = add(Flag.string("work_dir").required()
 *       .help("Where to store the registry"));
 * }
 *
 * MasterFlags flags = new MasterFlags();
 * try {
 *   flags.load(args, System.getenv());
 * } catch (FlagsException e) {
 *   System.err.println(e.getMessage() + "\n\n" + flags.usage("mesos-master"));
 *   System.exit(1);
 * }
 * if (flags.helpRequested()) {
 *   System.out.print(flags.usage("mesos-master"));
 *   return;
 * }
 * int port = flags.get(flags.port);
 * Optional<Duration> timeout = flags.find(flags.offerTimeout);  // no default: may be empty
 * }</pre>
 */
package io.jmesos.flags;
