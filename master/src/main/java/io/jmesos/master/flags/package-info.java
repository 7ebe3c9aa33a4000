/**
 * The master's command-line configuration on the shared typed flags ({@link io.jmesos.flags}): Mesos' flag
 * names, {@code --name=value}, {@code --name} / {@code --no-name} for booleans, and {@code MESOS_NAME}
 * environment variables (command line wins). Each flag is declared once, with its type, default, help and
 * validator, in {@link io.jmesos.master.flags.MasterFlags}; {@code --help} prints them and
 * {@code docs/configuration.md} is generated from the same declarations.
 */
package io.jmesos.master.flags;
