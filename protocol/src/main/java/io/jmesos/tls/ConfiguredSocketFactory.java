package io.jmesos.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** A socket factory whose sockets offer only the configured protocol versions and cipher suites. Thread-safe. */
final class ConfiguredSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final String[] protocols;
  private final String[] suites;

  ConfiguredSocketFactory(SSLSocketFactory delegate, String[] protocols, String[] suites) {
    this.delegate = delegate;
    this.protocols = protocols.clone();
    this.suites = suites.clone();
  }

  private Socket configure(Socket socket) {
    SSLSocket ssl = (SSLSocket) socket;
    SSLParameters params = ssl.getSSLParameters();
    params.setProtocols(protocols);
    params.setCipherSuites(suites);
    ssl.setSSLParameters(params);
    return ssl;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return suites.clone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return configure(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return configure(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return configure(delegate.createSocket(address, port, localAddress, localPort));
  }
}
