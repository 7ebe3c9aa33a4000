package io.jmesos.master;

import io.jmesos.actor.Actor;
import io.jmesos.actor.Clock;
import io.jmesos.actor.SystemClock;
import io.jmesos.allocator.Allocator;
import io.jmesos.allocator.AllocatorOptions;
import io.jmesos.allocator.Allocators;
import io.jmesos.internal.Messages.Envelope;
import io.jmesos.master.authz.MasterAuthorizer;
import io.jmesos.master.core.MasterContext;
import io.jmesos.master.election.Advertised;
import io.jmesos.master.election.Candidacy;
import io.jmesos.master.election.Election;
import io.jmesos.master.flags.MasterFlags;
import io.jmesos.master.http.Endpoints;
import io.jmesos.master.http.MasterAuthentication;
import io.jmesos.master.http.SchedulerTap;
import io.jmesos.master.registry.Registrar;
import io.jmesos.master.registry.RegistryStore;
import io.jmesos.master.registry.RegistryStores;
import io.jmesos.master.state.MasterState;
import io.jmesos.security.CredentialSet;
import io.jmesos.security.HttpAuthenticators;
import io.jmesos.security.authz.Authorizers;
import io.jmesos.transport.Connection;
import io.jmesos.transport.ConnectionHandler;
import io.jmesos.transport.Limits;
import io.jmesos.tls.TlsContext;
import io.jmesos.transport.MesosServer;
import io.jmesos.transport.MessageTap;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.Protos.MasterInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master daemon: one actor owning all master state, the allocator behind its interface, and one port
 * serving HTTP (scheduler API, /state, /metrics/snapshot, ...) and the internal agent protocol.
 *
 * <p>Lifecycle: {@link #builder()} ... {@link Builder#build()}, then {@link #start()} once, then {@link
 * #close()} (idempotent). Public methods are thread-safe; all state changes happen on the actor.
 */
public final class Master implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Master.class);
  public static final String VERSION = "1.11.0";
  private static final String BUILT_IN_ALLOCATOR = "HierarchicalDRF";

  private final MasterFlags flags;
  private final Clock clock;
  private final Allocator allocator;
  private final Limits limits;
  private final TlsContext tls;
  private final MessageTap messageTap;
  private final SchedulerTap schedulerTap;
  private final String id = UUID.randomUUID().toString();
  private final Actor actor;
  private final Consumer<Throwable> onFatal;
  private final RegistryStore registryStore;
  private final Election election;
  private final HttpAuthenticators authenticators;
  private final Optional<CredentialSet> credentials;
  private final MasterAuthorizer authz;
  private MesosServer server;
  private volatile MasterContext ctx;
  private boolean closed;

  private Master(Builder b) {
    this.flags = Objects.requireNonNull(b.flags, "flags");
    this.clock = b.clock == null ? SystemClock.get() : b.clock;
    if (b.allocator == null) {
      checkSorters(flags);
    }
    MasterAuthentication.Setup authentication = MasterAuthentication.setup(flags.authentication);
    this.authenticators = authentication.http();
    this.credentials = authentication.credentials();
    this.authz = new MasterAuthorizer(Authorizers.create(flags.get(flags.authorizers), flags.find(flags.acls)));
    this.allocator = b.allocator == null ? Allocators.create(flags.allocator(), clock) : b.allocator;
    this.tls = b.tls;
    this.limits = b.limits == null
        ? Limits.DEFAULT.withMaxConnectionsPerPeer(flags.maxConnectionsPerPeer(), true) : b.limits;
    this.messageTap = b.messageTap;
    this.schedulerTap = b.schedulerTap;
    this.onFatal = b.onFatal != null ? b.onFatal : failure -> CompletableFuture.runAsync(this::close);
    this.registryStore = b.registryStore != null ? b.registryStore : RegistryStores.create(flags);
    this.actor = new Actor("master", clock, this::abort);
    this.election = Election.of(flags, b.zooKeeperClients);
  }

  /** Mesos' built-in hierarchical allocator needs the same sorter for roles and for frameworks. */
  private static void checkSorters(MasterFlags flags) {
    if (BUILT_IN_ALLOCATOR.equals(flags.allocator()) && !flags.roleSorter().equals(flags.frameworkSorter())) {
      throw new IllegalArgumentException("Failed to create allocator '" + BUILT_IN_ALLOCATOR + "': Unsupported "
          + "combination of 'role_sorter' and 'framework_sorter': must be equal (for now)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port, starts the allocator and returns the bound address. */
  public synchronized InetSocketAddress start() throws InterruptedException {
    if (server != null || closed) {
      throw new IllegalStateException("Master already started or closed");
    }
    InetSocketAddress bind = flags.ip() == null ? new InetSocketAddress(flags.port())
        : new InetSocketAddress(flags.ip(), flags.port());
    // The MasterInfo needs the bound port, and the handlers need the MasterInfo: bind with late-bound
    // handlers that only enqueue onto the actor.
    LateBound late = new LateBound();
    server = new MesosServer("master", bind, (request, responder) -> late.router.handle(request, responder),
        late, limits, messageTap, tls);
    InetSocketAddress bound = server.start();
    MasterInfo info = Advertised.masterInfo(id, VERSION, flags, bound);
    try {
      Registrar registrar = new Registrar(actor, registryStore, flags.registryFetchTimeout(),
          flags.registryStoreTimeout(), this::abort);
      ctx = actor.call(() -> new MasterContext(actor, flags, new MasterState(info, clock.currentTimeSeconds()),
          allocator, registrar, credentials, authz)).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      close();
      throw new IllegalStateException("Master failed to start", e);
    }
    MasterContext context = ctx;
    allocator.initialize(new AllocatorOptions(flags.allocationInterval(),
        (frameworkId, resources) -> actor.execute(() -> context.offers.allocated(frameworkId, resources)),
        flags.roleSorter(), flags.frameworkSorter(), flags.fairSharingExcludedResourceNames(),
        flags.minAllocatableResources()));
    late.router = Endpoints.router(ctx, schedulerTap, authenticators);
    late.ctx = ctx;
    LOG.info("Master {} started on {}:{}", id, info.getAddress().getIp(), bound.getPort());
    election.start(new Candidacy(ctx.leadership, actor, this::lead, this::lostLeadership));
    return bound;
  }

  /**
   * This master becomes the leader: without {@code --zk} at once on start, with {@code --zk} when elected. It
   * recovers the registry, then serves agents and frameworks. Runs once, on the master's actor.
   */
  private void lead() {
    MasterContext context = ctx;
    actor.execute(() -> context.recovery.recover(this::abort));
  }

  /** The bound address, or null before {@link #start()}. */
  public synchronized InetSocketAddress address() {
    return server == null ? null : server.address();
  }

  /** The MasterInfo frameworks see in SUBSCRIBED; null before {@link #start()}. */
  public synchronized MasterInfo info() {
    return ctx == null ? null : ctx.state.info;
  }

  public String id() {
    return id;
  }

  public MasterFlags flags() {
    return flags;
  }

  /**
   * Waits until the master's actor has processed everything enqueued so far. For tests, together with the
   * allocator's own settling.
   */
  public void settle() {
    try {
      actor.call(() -> null).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while settling", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Master did not settle", e);
    }
  }

  /**
   * True when nothing is queued or running on the master's actor or the allocator's. A snapshot, for tests
   * that settle a whole cluster by polling; never blocks.
   */
  public boolean isIdle() {
    return isIdle(true);
  }

  /**
   * As {@link #isIdle()}; with {@code countRegistry} false a registry fetch or store in flight does not count
   * (for tests that hold the registry's stores on purpose).
   */
  public boolean isIdle(boolean countRegistry) {
    MasterContext context = ctx;
    boolean registry = !countRegistry || context == null || context.registrar.isIdle();
    return actor.isIdle() && allocator.isIdle() && registry;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    election.close();
    if (server != null) {
      server.close();
    }
    allocator.close();
    if (ctx != null) {
      ctx.registrar.close();
    } else {
      registryStore.close();
    }
    actor.close();
    try {
      actor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("Master {} stopped", id);
  }

  /**
   * A handler failed on the master's actor. It may have left the master's state half-changed, so the master
   * does not go on serving it: as Mesos aborts on a failed CHECK, it stops through the fatal hook (the
   * {@code mesos-master} process exits with status 1 and its supervisor restarts it; agents re-register and
   * frameworks re-subscribe as after any master failover). HTTP requests are answered 500 first.
   */
  private void abort(Throwable failure) {
    LOG.error("Master {} aborting: a handler failed and may have left the master's state half-changed", id,
        failure);
    onFatal.accept(failure);
  }

  /** Leadership is lost for good (already logged): the master stops as after a failed handler. */
  private void lostLeadership(String reason) {
    onFatal.accept(new IllegalStateException(reason));
  }

  /** Handlers bound before the context exists; they only enqueue onto the actor. */
  private final class LateBound implements ConnectionHandler {
    volatile io.jmesos.http.HttpHandler router = (request, responder) ->
        responder.respond(io.jmesos.http.HttpResponse.text(503, "Master is starting"));
    volatile MasterContext ctx;

    @Override
    public void onConnect(Connection connection) {
      LOG.debug("Internal connection {} opened", connection);
    }

    @Override
    public void onMessage(Connection connection, Envelope envelope) {
      MasterContext c = ctx;
      if (c == null) {
        connection.close();
        return;
      }
      actor.execute(io.jmesos.master.http.EventQueue.message(() -> c.agents.dispatch(connection, envelope)));
    }

    @Override
    public void onDisconnect(Connection connection) {
      MasterContext c = ctx;
      if (c != null) {
        actor.execute(() -> c.agents.disconnected(connection));
      }
    }
  }

  /** Builds a master; flags are required, the rest defaults to production choices. */
  public static final class Builder {
    private MasterFlags flags = MasterFlags.defaults();
    private Clock clock;
    private Allocator allocator;
    private Limits limits;
    private TlsContext tls = TlsContext.disabled();
    private MessageTap messageTap = MessageTap.NONE;
    private Consumer<Throwable> onFatal;
    private SchedulerTap schedulerTap = SchedulerTap.NONE;
    private RegistryStore registryStore;

    /**
     * Where the registry lives; by default what {@code --registry}, {@code --zk} and {@code --work_dir} say.
     * Tests pass one {@link io.jmesos.master.registry.InMemoryRegistryStore} handle per master to fail over
     * without a disk or ZooKeeper.
     */
    public Builder registryStore(RegistryStore store) {
      this.registryStore = Objects.requireNonNull(store, "store");
      return this;
    }
    private Election.ClientFactory zooKeeperClients = Election.ClientFactory.DEFAULT;

    public Builder flags(MasterFlags flags) {
      this.flags = flags;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** An allocator instance; by default the one named by {@code --allocator} on the master's clock. */
    public Builder allocator(Allocator allocator) {
      this.allocator = allocator;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    /** TLS for the master's port ({@code LIBPROCESS_SSL_*}); plain TCP by default. */
    public Builder tls(TlsContext tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** What every internal message to or from an agent passes through; tests inject faults here. */
    /**
     * What to do when a handler fails on the master's actor (see {@link Master#abort}); by default the master
     * closes itself. {@code mesos-master} exits the process.
     */
    public Builder onFatal(Consumer<Throwable> onFatal) {
      this.onFatal = Objects.requireNonNull(onFatal, "onFatal");
      return this;
    }

    public Builder messageTap(MessageTap tap) {
      this.messageTap = Objects.requireNonNull(tap, "tap");
      return this;
    }

    /** What every scheduler subscription's event stream passes through; tests inject faults here. */
    public Builder schedulerTap(SchedulerTap tap) {
      this.schedulerTap = Objects.requireNonNull(tap, "tap");
      return this;
    }

    /** How the master makes its ZooKeeper client with {@code --zk}; tests keep a handle to expire its session. */
    public Builder zooKeeperClients(Election.ClientFactory factory) {
      this.zooKeeperClients = Objects.requireNonNull(factory, "factory");
      return this;
    }

    public Master build() {
      return new Master(this);
    }
  }
}
