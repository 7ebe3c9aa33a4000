package io.jmesos.scheduler.v1;

import io.jmesos.protocol.Evolve;
import io.jmesos.protocol.SchedulerCallValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.Protos.OfferID;
import org.apache.mesos.Protos.TaskStatus;
import org.apache.mesos.SchedulerDriver;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' {@code V0ToV1AdapterProcess::send}: a v1 scheduler {@link Call} as the v0 driver method that makes it.
 * The call is validated, then devolved to the v0 {@code scheduler.Call} (serialized and parsed) and dispatched by
 * type. SUBSCRIBE only releases the adapter's waiting events (the driver registers on its own); the calls the v0
 * driver has no method for (UPDATE_FRAMEWORK, SHUTDOWN, inverse offers) are logged and dropped, and the operation
 * calls are ignored, as in Mesos. Stateless; runs on the adapter's actor.
 */
final class V0Calls {
  private static final Logger LOG = LoggerFactory.getLogger(V0Calls.class);

  private V0Calls() {}

  static void apply(V0ToV1Adapter adapter, SchedulerDriver driver, Call v1) {
    Optional<String> invalid = SchedulerCallValidator.validate(v1);
    if (invalid.isPresent()) {
      LOG.warn("Dropping {}: due to error {}", v1.getType(), invalid.get());
      return;
    }
    org.apache.mesos.scheduler.Protos.Call call =
        Evolve.devolvePartial(v1, org.apache.mesos.scheduler.Protos.Call.parser());
    switch (call.getType()) {
      case SUBSCRIBE:
        adapter.subscribe();
        break;
      case TEARDOWN:
        driver.stop(false);
        break;
      case ACCEPT:
        if (call.getAccept().hasFilters()) {
          driver.acceptOffers(call.getAccept().getOfferIdsList(), call.getAccept().getOperationsList(),
              call.getAccept().getFilters());
        } else {
          driver.acceptOffers(call.getAccept().getOfferIdsList(), call.getAccept().getOperationsList(),
              org.apache.mesos.Protos.Filters.getDefaultInstance());
        }
        break;
      case DECLINE:
        for (OfferID offerId : call.getDecline().getOfferIdsList()) {
          if (call.getDecline().hasFilters()) {
            driver.declineOffer(offerId, call.getDecline().getFilters());
          } else {
            driver.declineOffer(offerId);
          }
        }
        break;
      case REVIVE:
        driver.reviveOffers();
        break;
      case SUPPRESS:
        driver.suppressOffers();
        break;
      case KILL:
        driver.killTask(call.getKill().getTaskId());
        break;
      case ACKNOWLEDGE:
        driver.acknowledgeStatusUpdate(TaskStatus.newBuilder()
            .setTaskId(call.getAcknowledge().getTaskId())
            .setSlaveId(call.getAcknowledge().getSlaveId())
            .setUuid(call.getAcknowledge().getUuid())
            .buildPartial());
        break;
      case RECONCILE:
        List<TaskStatus> statuses = new ArrayList<>();
        for (org.apache.mesos.scheduler.Protos.Call.Reconcile.Task task : call.getReconcile().getTasksList()) {
          statuses.add(TaskStatus.newBuilder().setTaskId(task.getTaskId()).buildPartial());
        }
        driver.reconcileTasks(statuses);
        break;
      case MESSAGE:
        driver.sendFrameworkMessage(call.getMessage().getExecutorId(), call.getMessage().getSlaveId(),
            call.getMessage().getData().toByteArray());
        break;
      case REQUEST:
        driver.requestResources(call.getRequest().getRequestsList());
        break;
      case ACKNOWLEDGE_OPERATION_STATUS:
      case RECONCILE_OPERATIONS:
        LOG.debug("Ignoring {}: the v0 driver has no operation feedback", call.getType());
        break;
      case ACCEPT_INVERSE_OFFERS:
      case DECLINE_INVERSE_OFFERS:
      case SHUTDOWN:
      case UPDATE_FRAMEWORK:
      default:
        LOG.error("Received an unexpected {} call", call.getType());
        break;
    }
  }
}
