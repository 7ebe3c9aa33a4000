package io.jmesos.state;

import java.util.Locale;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;

/** ZooKeeper error codes as Mesos reports and handles them (it uses the C client). */
final class ZooKeeperErrors {
  private ZooKeeperErrors() {}

  /** Mesos' {@code ZooKeeper::retryable}: the operation may succeed if tried again once reconnected. */
  static boolean retryable(Code code) {
    switch (code) {
      case CONNECTIONLOSS:
      case OPERATIONTIMEOUT:
      case SESSIONEXPIRED:
      case SESSIONMOVED:
        return true;
      default:
        return false;
    }
  }

  /** The C client's {@code zerror(code)}, which Mesos puts in its failure messages. */
  static String message(KeeperException e) {
    switch (e.code()) {
      case SYSTEMERROR: return "system error";
      case RUNTIMEINCONSISTENCY: return "run time inconsistency";
      case DATAINCONSISTENCY: return "data inconsistency";
      case CONNECTIONLOSS: return "connection loss";
      case MARSHALLINGERROR: return "marshalling error";
      case UNIMPLEMENTED: return "unimplemented";
      case OPERATIONTIMEOUT: return "operation timeout";
      case BADARGUMENTS: return "bad arguments";
      case APIERROR: return "api error";
      case NONODE: return "no node";
      case NOAUTH: return "not authenticated";
      case BADVERSION: return "bad version";
      case NOCHILDRENFOREPHEMERALS: return "no children for ephemerals";
      case NODEEXISTS: return "node exists";
      case NOTEMPTY: return "not empty";
      case SESSIONEXPIRED: return "session expired";
      case INVALIDCALLBACK: return "invalid callback";
      case INVALIDACL: return "invalid acl";
      case AUTHFAILED: return "authentication failed";
      case SESSIONMOVED: return "session moved to another server, so operation is ignored";
      default: return e.code().name().toLowerCase(Locale.ROOT);
    }
  }
}
