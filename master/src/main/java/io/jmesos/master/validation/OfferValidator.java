package io.jmesos.master.validation;

import io.jmesos.master.state.Framework;
import io.jmesos.master.state.MasterState;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos.Offer;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.SlaveID;

/**
 * The offers of an ACCEPT, as Mesos' {@code validation::offer::validate}: at least one, no duplicates, each
 * outstanding and the framework's own, all on one agent that is still registered and connected. Runs on the
 * master's actor.
 */
public final class OfferValidator {
  private OfferValidator() {}

  public static Optional<String> validate(List<OfferID> offerIds, Framework framework, MasterState state) {
    if (offerIds.isEmpty()) {
      return Optional.of("No offers specified");
    }
    Set<OfferID> seen = new HashSet<>();
    SlaveID slaveId = null;
    for (OfferID id : offerIds) {
      if (!seen.add(id)) {
        return Optional.of("Duplicate offer " + id.getValue() + " in offer list");
      }
      Offer offer = state.offers.get(id);
      if (offer == null) {
        return Optional.of("Offer " + id.getValue() + " is no longer valid");
      }
      if (!offer.getFrameworkId().equals(framework.id())) {
        return Optional.of("Offer " + id.getValue() + " has invalid framework " + offer.getFrameworkId().getValue()
            + " while framework " + framework.id().getValue() + " is expected");
      }
      if (slaveId != null && !slaveId.equals(offer.getSlaveId())) {
        return Optional.of("Aggregated offers must belong to one single agent. Offer " + id.getValue()
            + " uses agent " + offer.getSlaveId().getValue() + " and agent " + slaveId.getValue());
      }
      slaveId = offer.getSlaveId();
      var agent = state.agents.get(slaveId);
      if (agent == null || !agent.connected()) {
        return Optional.of("Offer " + id.getValue() + " outlived agent " + slaveId.getValue());
      }
    }
    return Optional.empty();
  }
}
