package io.jmesos.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Hostname validation of a peer certificate after the handshake, per {@code HOSTNAME_VALIDATION_SCHEME}
 * ({@code docs/ssl.md}): {@code openssl} matches the name (or, with {@code VERIFY_IPADD}, the IP address) the
 * client connected to; {@code legacy} matches the first reverse-DNS name of the peer's IP (or, with
 * {@code VERIFY_IPADD}, the IP itself). DNS names come from the subject alternative names, else the common name;
 * a {@code *.} wildcard matches one leftmost label. Stateless; {@code legacy} blocks on DNS.
 */
final class PeerNames {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private PeerNames() {}

  /**
   * @param host the name or IP literal the client connected to (client mode, {@code openssl} scheme)
   * @param peer the peer's IP address
   */
  static void check(X509Certificate cert, TlsConfig.HostnameValidation scheme, String host, InetAddress peer,
      boolean verifyIpAdd) throws SSLPeerUnverifiedException {
    if (scheme == TlsConfig.HostnameValidation.OPENSSL) {
      if (isIpLiteral(host)) {
        if (!verifyIpAdd) {
          throw new SSLPeerUnverifiedException("Cannot verify peer certificate: connected to IP address " + host
              + " and LIBPROCESS_SSL_VERIFY_IPADD is false");
        }
        if (!ipNames(cert).contains(normalize(host))) {
          throw new SSLPeerUnverifiedException("Presented certificate doesn't match IP address " + host);
        }
        return;
      }
      if (!matchesDns(cert, host)) {
        throw new SSLPeerUnverifiedException("Presented certificate doesn't match hostname " + host);
      }
      return;
    }
    String name = reverseLookup(peer);
    if (verifyIpAdd && ipNames(cert).contains(peer.getHostAddress())) {
      return;
    }
    if (name == null) {
      throw new SSLPeerUnverifiedException(verifyIpAdd
          ? "Could not verify peer certificate: IP address " + peer.getHostAddress() + " not found and peer "
              + "hostname unknown"
          : "Cannot verify peer certificate: peer hostname unknown");
    }
    if (!matchesDns(cert, name)) {
      throw new SSLPeerUnverifiedException("Presented certificate doesn't match peer hostname " + name
          + (verifyIpAdd ? " nor IP address " + peer.getHostAddress() : ""));
    }
  }

  private static String reverseLookup(InetAddress peer) {
    try {
      String name = InetAddress.getByAddress(peer.getAddress()).getCanonicalHostName();
      return name.equals(peer.getHostAddress()) ? null : name;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");
  }

  private static String normalize(String ip) {
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (UnknownHostException e) {
      return ip;
    }
  }

  static boolean matchesDns(X509Certificate cert, String host) {
    List<String> names = sans(cert, SAN_DNS);
    if (names.isEmpty()) {
      names = commonNames(cert);
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String name : names) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.equals(h)) {
        return true;
      }
      if (n.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(n.substring(1))) {
        return true;
      }
    }
    return false;
  }

  private static List<String> ipNames(X509Certificate cert) {
    List<String> ips = new ArrayList<>();
    for (String ip : sans(cert, SAN_IP)) {
      ips.add(normalize(ip));
    }
    return ips;
  }

  private static List<String> sans(X509Certificate cert, int type) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> all = cert.getSubjectAlternativeNames();
      if (all != null) {
        for (List<?> entry : all) {
          if (((Integer) entry.get(0)) == type) {
            names.add((String) entry.get(1));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no usable names
    }
    return names;
  }

  private static List<String> commonNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          names.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      // no usable names
    }
    return names;
  }
}
