/**
 * The master's command-line configuration: Mesos' flag names, {@code --name=value}, {@code --name} /
 * {@code --no-name} for booleans, and {@code MESOS_NAME} environment variables (command line wins). Each flag is
 * declared once, with its type, default and help, in {@link io.jmesos.master.flags.MasterFlags}; {@code --help}
 * prints the table. Written against plain strings until the shared {@code io.jmesos.flags} package lands.
 */
package io.jmesos.master.flags;
