/** Finding the leading master from a {@code --master} value. */
package io.jmesos.detector;
